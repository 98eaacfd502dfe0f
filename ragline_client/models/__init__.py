"""Contains all the data models used in inputs/outputs"""

from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .citation import Citation
from .component_health import ComponentHealth
from .consistency_report import ConsistencyReport
from .difference import Difference
from .document_public import DocumentPublic
from .document_status import DocumentStatus
from .documents_upload_documents_body import DocumentsUploadDocumentsBody
from .error_body import ErrorBody
from .health_healthz_response_health_healthz import HealthHealthzResponseHealthHealthz
from .http_validation_error import HTTPValidationError
from .job_document_public import JobDocumentPublic
from .job_kind import JobKind
from .job_public import JobPublic
from .job_state import JobState
from .login_request import LoginRequest
from .page_api_key_public import PageApiKeyPublic
from .page_document_public import PageDocumentPublic
from .page_job_public import PageJobPublic
from .query_answer import QueryAnswer
from .query_request import QueryRequest
from .readiness import Readiness
from .readiness_components import ReadinessComponents
from .readiness_status import ReadinessStatus
from .reingest_request import ReingestRequest
from .rejected_file import RejectedFile
from .retrieval_mode import RetrievalMode
from .stage import Stage
from .token import Token
from .upload_accepted import UploadAccepted
from .upload_limits import UploadLimits
from .user_create import UserCreate
from .user_public import UserPublic
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "Citation",
    "ComponentHealth",
    "ConsistencyReport",
    "Difference",
    "DocumentPublic",
    "DocumentStatus",
    "DocumentsUploadDocumentsBody",
    "ErrorBody",
    "HealthHealthzResponseHealthHealthz",
    "HTTPValidationError",
    "JobDocumentPublic",
    "JobKind",
    "JobPublic",
    "JobState",
    "LoginRequest",
    "PageApiKeyPublic",
    "PageDocumentPublic",
    "PageJobPublic",
    "QueryAnswer",
    "QueryRequest",
    "Readiness",
    "ReadinessComponents",
    "ReadinessStatus",
    "ReingestRequest",
    "RejectedFile",
    "RetrievalMode",
    "Stage",
    "Token",
    "UploadAccepted",
    "UploadLimits",
    "UserCreate",
    "UserPublic",
    "ValidationError",
    "ValidationErrorContext",
)
