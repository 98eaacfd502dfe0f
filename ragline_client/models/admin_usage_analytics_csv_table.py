from typing import Literal

AdminUsageAnalyticsCsvTable = Literal["per_day", "per_route"]

ADMIN_USAGE_ANALYTICS_CSV_TABLE_VALUES: set[AdminUsageAnalyticsCsvTable] = {
    "per_day",
    "per_route",
}


def check_admin_usage_analytics_csv_table(value: str) -> AdminUsageAnalyticsCsvTable:
    if value in ADMIN_USAGE_ANALYTICS_CSV_TABLE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ADMIN_USAGE_ANALYTICS_CSV_TABLE_VALUES!r}"
    )
