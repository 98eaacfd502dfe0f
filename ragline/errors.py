"""Every error ragline raises on purpose, modelled once.

The API maps these to HTTP statuses in one table (``api/errors.py``); flows turn
:class:`DocumentError` into a failed document with the error's sentence. Each error
carries a human sentence (``message``) a user can act on and a stable machine ``code``.

    RaglineError
    ├── InputError                  the caller sent something we refuse
    │   ├── FileTooLarge            413
    │   ├── QuotaExceeded           413, the user's stored bytes or documents
    │   ├── UnsupportedFileType     415
    │   ├── EmptyFile               422
    │   └── InvalidInput            422
    ├── AuthenticationError         401
    ├── PermissionDenied            403
    │   └── AccountDisabled         403 at sign-in (tokens and keys of the account: 401)
    ├── NotFound                    404
    ├── Conflict                    409
    ├── TooManyRequests             429, with the seconds to wait
    ├── DocumentError               a document that can never be ingested as it is
    │   ├── EncryptedDocument
    │   ├── CorruptDocument
    │   ├── NoTextFound
    │   ├── UnsafeDocument          zip bombs, XML entity expansion
    │   ├── TooDeeplyNested         markup or parts nested past what a parser reads
    │   └── ParseLimitExceeded      the parser ran out of time or memory
    ├── InsufficientStorage         507: the data disk is nearly full
    ├── ServiceUnavailable          503: transient, worth retrying
    │   ├── VectorStoreUnavailable
    │   ├── OrchestratorUnavailable
    │   ├── FileStoreUnavailable    the S3 store of uploaded files
    │   └── DatabaseUnavailable
    └── DocumentDeleted             (flows) deleted while being ingested: stop, drop its chunks
"""

from __future__ import annotations


class RaglineError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InputError(RaglineError):
    code = "invalid_input"


class FileTooLarge(InputError):
    code = "file_too_large"


class QuotaExceeded(InputError):
    code = "quota_exceeded"


class UnsupportedFileType(InputError):
    code = "unsupported_type"


class EmptyFile(InputError):
    code = "empty_file"


class InvalidInput(InputError):
    code = "invalid_input"


class AuthenticationError(RaglineError):
    code = "not_authenticated"


class PermissionDenied(RaglineError):
    code = "forbidden"


class AccountDisabled(PermissionDenied):
    code = "account_disabled"


class NotFound(RaglineError):
    code = "not_found"


class Conflict(RaglineError):
    code = "conflict"


class TooManyRequests(RaglineError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class InsufficientStorage(RaglineError):
    code = "insufficient_storage"


class DocumentError(RaglineError):
    """The document itself cannot be ingested; retrying the same bytes will not help."""

    code = "document_error"


class EncryptedDocument(DocumentError):
    code = "encrypted"


class CorruptDocument(DocumentError):
    code = "corrupt"


class NoTextFound(DocumentError):
    code = "no_text"


class UnsafeDocument(DocumentError):
    code = "unsafe"


class TooDeeplyNested(DocumentError):
    code = "too_deeply_nested"


class ParseLimitExceeded(DocumentError):
    code = "parse_limit"


class ServiceUnavailable(RaglineError):
    """A component we depend on did not answer; the same call may succeed later."""

    code = "service_unavailable"


class VectorStoreUnavailable(ServiceUnavailable):
    code = "vector_store_unavailable"


class FileStoreUnavailable(ServiceUnavailable):
    code = "file_store_unavailable"


class OrchestratorUnavailable(ServiceUnavailable):
    code = "orchestrator_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"


class DocumentDeleted(RaglineError):
    """The version being ingested is gone: its document was deleted meanwhile.

    Not a failure: the run stops and removes whatever it had written for the version.
    """

    code = "document_deleted"
