"""Contains all the data models used in inputs/outputs"""

from .admin_health import AdminHealth
from .admin_health_components import AdminHealthComponents
from .admin_usage_analytics_csv_table import AdminUsageAnalyticsCsvTable
from .analytics import Analytics
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .citation import Citation
from .component_health import ComponentHealth
from .consistency_report import ConsistencyReport
from .day_usage import DayUsage
from .difference import Difference
from .disk_health import DiskHealth
from .document_public import DocumentPublic
from .document_status import DocumentStatus
from .documents_upload_documents_body import DocumentsUploadDocumentsBody
from .error_body import ErrorBody
from .health_healthz_response_health_healthz import HealthHealthzResponseHealthHealthz
from .health_point import HealthPoint
from .health_point_latency_ms import HealthPointLatencyMs
from .health_point_ok import HealthPointOk
from .job_document_public import JobDocumentPublic
from .job_kind import JobKind
from .job_public import JobPublic
from .job_state import JobState
from .login_request import LoginRequest
from .me_update import MeUpdate
from .notification_channel import NotificationChannel
from .notification_public import NotificationPublic
from .notification_state import NotificationState
from .notify_choice import NotifyChoice
from .page_api_key_public import PageApiKeyPublic
from .page_document_public import PageDocumentPublic
from .page_job_public import PageJobPublic
from .page_notification_public import PageNotificationPublic
from .page_user_public import PageUserPublic
from .password_change import PasswordChange
from .prefect_links import PrefectLinks
from .prefect_links_deployments import PrefectLinksDeployments
from .query_answer import QueryAnswer
from .query_request import QueryRequest
from .queue_health import QueueHealth
from .readiness import Readiness
from .readiness_components import ReadinessComponents
from .readiness_status import ReadinessStatus
from .reingest_counts import ReingestCounts
from .reingest_request import ReingestRequest
from .reingest_schedule import ReingestSchedule
from .rejected_file import RejectedFile
from .retrieval_mode import RetrievalMode
from .route_usage import RouteUsage
from .schedule_change import ScheduleChange
from .stage import Stage
from .storage_usage import StorageUsage
from .token import Token
from .upload_accepted import UploadAccepted
from .upload_limits import UploadLimits
from .user_create import UserCreate
from .user_public import UserPublic
from .user_update import UserUpdate
from .webhook_public import WebhookPublic
from .webhook_saved import WebhookSaved
from .webhook_set import WebhookSet
from .worker_health import WorkerHealth

__all__ = (
    "AdminHealth",
    "AdminHealthComponents",
    "AdminUsageAnalyticsCsvTable",
    "Analytics",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "Citation",
    "ComponentHealth",
    "ConsistencyReport",
    "DayUsage",
    "Difference",
    "DiskHealth",
    "DocumentPublic",
    "DocumentStatus",
    "DocumentsUploadDocumentsBody",
    "ErrorBody",
    "HealthHealthzResponseHealthHealthz",
    "HealthPoint",
    "HealthPointLatencyMs",
    "HealthPointOk",
    "JobDocumentPublic",
    "JobKind",
    "JobPublic",
    "JobState",
    "LoginRequest",
    "MeUpdate",
    "NotificationChannel",
    "NotificationPublic",
    "NotificationState",
    "NotifyChoice",
    "PageApiKeyPublic",
    "PageDocumentPublic",
    "PageJobPublic",
    "PageNotificationPublic",
    "PageUserPublic",
    "PasswordChange",
    "PrefectLinks",
    "PrefectLinksDeployments",
    "QueryAnswer",
    "QueryRequest",
    "QueueHealth",
    "Readiness",
    "ReadinessComponents",
    "ReadinessStatus",
    "ReingestCounts",
    "ReingestRequest",
    "ReingestSchedule",
    "RejectedFile",
    "RetrievalMode",
    "RouteUsage",
    "ScheduleChange",
    "Stage",
    "StorageUsage",
    "Token",
    "UploadAccepted",
    "UploadLimits",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "WebhookPublic",
    "WebhookSaved",
    "WebhookSet",
    "WorkerHealth",
)
