"""The OpenAPI spec and its Swagger page work offline: no asset is fetched from a CDN."""

import re


def test_openapi_spec_lists_the_foundation_endpoints(client_for, users):
    spec = client_for(users.staff_a).get("/api/v1/openapi.json").json()
    for path in ("/api/v1/auth/device-token", "/api/v1/me", "/api/v1/employees", "/api/v1/employees/{employee_id}"):
        assert path in spec["paths"], path


def test_swagger_page_loads_assets_from_this_server_only(client_for, users):
    html = client_for(users.staff_a).get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
