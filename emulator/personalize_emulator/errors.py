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
    "already_exists",
    "not_found",
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


def not_found(arn: str) -> ResourceNotFoundException:
    """AWS's wording for an unknown ARN (the message moto's Personalize tests also expect)."""
    return ResourceNotFoundException(f"Resource Arn {arn} does not exist.")


def already_exists(arn: str) -> ResourceAlreadyExistsException:
    """AWS's wording when a create would reuse an ARN (a name taken by a resource of the same kind)."""
    return ResourceAlreadyExistsException(f"Another resource with Arn {arn} already exists.")
