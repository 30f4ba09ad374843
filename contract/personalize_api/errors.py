"""Amazon Personalize's error codes as exception classes.

Every error the API's rules (and so the emulator and the provider's validation) report is one of
these, so the emulator's wire layer can answer ``{"__type": code, "message": ...}`` and boto3 raises
its own typed exception.  The codes are the error shapes declared in botocore's ``personalize`` model;
errors of the emulator's own wire protocol live in ``personalize_emulator.errors``.
"""

from __future__ import annotations

__all__ = [
    "InvalidInputException",
    "InvalidNextTokenException",
    "LimitExceededException",
    "PersonalizeError",
    "ResourceAlreadyExistsException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "TooManyTagKeysException",
    "TooManyTagsException",
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


def not_found(arn: str) -> ResourceNotFoundException:
    """AWS's wording for an unknown ARN (the message moto's Personalize tests also expect)."""
    return ResourceNotFoundException(f"Resource Arn {arn} does not exist.")


def already_exists(arn: str) -> ResourceAlreadyExistsException:
    """AWS's wording when a create would reuse an ARN (a name taken by a resource of the same kind)."""
    return ResourceAlreadyExistsException(f"Another resource with Arn {arn} already exists.")
