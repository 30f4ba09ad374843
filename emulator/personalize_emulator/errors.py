"""Amazon Personalize's error codes as exception classes.

Every error the emulator (and the provider's validation) reports is one of these, so the wire layer
can answer ``{"__type": code, "message": ...}`` and boto3 raises its own typed exception.  The codes
are the error shapes declared in botocore's ``personalize`` model.
"""

from __future__ import annotations

__all__ = [
    "InvalidInputException",
    "InvalidNextTokenException",
    "LimitExceededException",
    "NotSupportedException",
    "PersonalizeError",
    "RequestTooLargeException",
    "ResourceAlreadyExistsException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "TooManyTagKeysException",
    "TooManyTagsException",
    "UnknownOperationException",
]


class PersonalizeError(Exception):
    """Base of every domain error; ``code`` is the AWS error code sent as ``__type``."""

    code = "InternalFailure"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidInputException(PersonalizeError):
    code = "InvalidInputException"


class InvalidNextTokenException(PersonalizeError):
    code = "InvalidNextTokenException"


class LimitExceededException(PersonalizeError):
    code = "LimitExceededException"


class ResourceAlreadyExistsException(PersonalizeError):
    code = "ResourceAlreadyExistsException"


class ResourceInUseException(PersonalizeError):
    code = "ResourceInUseException"


class ResourceNotFoundException(PersonalizeError):
    code = "ResourceNotFoundException"


class TooManyTagsException(PersonalizeError):
    code = "TooManyTagsException"


class TooManyTagKeysException(PersonalizeError):
    code = "TooManyTagKeysException"


class NotSupportedException(PersonalizeError):
    """An operation botocore knows but the emulator does not implement (a 400, never a 500)."""

    code = "NotSupportedException"


class SerializationException(PersonalizeError):
    """The request body is not the JSON the protocol expects (AWS's own code for this case)."""

    code = "SerializationException"


class UnknownOperationException(PersonalizeError):
    """The target header is missing or names no operation of the service."""

    code = "UnknownOperationException"


class RequestTooLargeException(PersonalizeError):
    """The body exceeds the emulator's size cap."""

    code = "RequestEntityTooLargeException"
    status = 413
