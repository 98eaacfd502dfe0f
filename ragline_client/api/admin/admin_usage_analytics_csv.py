from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admin_usage_analytics_csv_table import (
    AdminUsageAnalyticsCsvTable,
)
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    days: int | Unset = 7,
    table: AdminUsageAnalyticsCsvTable | Unset = "per_day",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["days"] = days

    json_table: str | Unset = UNSET
    if not isinstance(table, Unset):
        json_table = table

    params["table"] = json_table

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/analytics.csv",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    days: int | Unset = 7,
    table: AdminUsageAnalyticsCsvTable | Unset = "per_day",
) -> Response[Any | ErrorBody]:
    """Usage Analytics Csv

     One of the analytics tables as CSV; a cell a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) is prefixed with a quote.

    Args:
        days (int | Unset): The last N days, today (UTC) included. Default: 7.
        table (AdminUsageAnalyticsCsvTable | Unset):  Default: 'per_day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        days=days,
        table=table,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    days: int | Unset = 7,
    table: AdminUsageAnalyticsCsvTable | Unset = "per_day",
) -> Any | ErrorBody | None:
    """Usage Analytics Csv

     One of the analytics tables as CSV; a cell a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) is prefixed with a quote.

    Args:
        days (int | Unset): The last N days, today (UTC) included. Default: 7.
        table (AdminUsageAnalyticsCsvTable | Unset):  Default: 'per_day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        client=client,
        days=days,
        table=table,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    days: int | Unset = 7,
    table: AdminUsageAnalyticsCsvTable | Unset = "per_day",
) -> Response[Any | ErrorBody]:
    """Usage Analytics Csv

     One of the analytics tables as CSV; a cell a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) is prefixed with a quote.

    Args:
        days (int | Unset): The last N days, today (UTC) included. Default: 7.
        table (AdminUsageAnalyticsCsvTable | Unset):  Default: 'per_day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        days=days,
        table=table,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    days: int | Unset = 7,
    table: AdminUsageAnalyticsCsvTable | Unset = "per_day",
) -> Any | ErrorBody | None:
    """Usage Analytics Csv

     One of the analytics tables as CSV; a cell a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) is prefixed with a quote.

    Args:
        days (int | Unset): The last N days, today (UTC) included. Default: 7.
        table (AdminUsageAnalyticsCsvTable | Unset):  Default: 'per_day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            days=days,
            table=table,
        )
    ).parsed
