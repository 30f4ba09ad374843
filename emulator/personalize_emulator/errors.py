"""The emulator's errors: the API's own (from :mod:`personalize_api.errors`) plus its wire protocol's.

Emulator modules import every error from here, so a handler never cares which side defines a code.
"""

from __future__ import annotations

from personalize_api.errors import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    PersonalizeError,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
    TooManyTagKeysException,
    TooManyTagsException,
    already_exists,
    not_found,
)

__all__ = [
    "InternalFailure",
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


class InternalFailure(PersonalizeError):
    """A bug in the emulator: answered as AWS does (500 InternalFailure), and logged."""

    code = "InternalFailure"
    status = 500


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
