"""The OpenAPI document and a self-contained page that reads it (no CDN assets: works offline)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template import Engine, Template
from django.template.context import Context
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .schema import build_schema

TEMPLATE = Path(__file__).resolve().parent / "templates" / "docs.html"
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _template() -> Template:
    return Engine.get_default().from_string(TEMPLATE.read_text(encoding="utf-8"))


def _schema_name(schema: dict | None) -> str:
    """A short human label for a schema: its component name, or "X 的列表" for arrays."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return " | ".join(filter(None, (_schema_name(s) for s in schema[combinator])))
    if schema.get("type") == "array":
        return f"[{_schema_name(schema.get('items')) or 'string'}]"
    if "results" in schema.get("properties", {}):
        return f"{{count, page, page_size, results: {_schema_name(schema['properties']['results'])}}}"
    return schema.get("type", "")


def _parameter(param: dict) -> dict:
    schema = param.get("schema", {})
    enum = schema.get("enum") or schema.get("items", {}).get("enum") or []
    return {
        "name": param["name"],
        "in": param["in"],
        "required": param.get("required", False),
        "type": _schema_name(schema),
        "enum": ", ".join(map(str, enum)),
        "description": param.get("description", ""),
    }


def _operations(schema: dict) -> list[dict]:
    """Operations grouped by tag, in path order, as plain dicts the template can show."""
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {})
            request = next(iter(body.items()), None)
            groups.setdefault((op.get("tags") or ["api"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": op.get("operationId", ""),
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [_parameter(p) for p in op.get("parameters", [])],
                    "request": {"media": request[0], "schema": _schema_name(request[1].get("schema"))} if request else None,
                    "responses": [
                        {"code": code, "description": r.get("description", ""),
                         "schema": _schema_name(next(iter(r.get("content", {}).values()), {}).get("schema"))}
                        for code, r in op.get("responses", {}).items()
                    ],
                    # spectacular lists `{}` among the schemes when anonymous access is allowed.
                    "secured": bool(op.get("security")) and {} not in op["security"],
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def _components(schema: dict) -> list[dict]:
    out = []
    for name, comp in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(comp.get("required", []))
        props = [
            {
                "name": prop,
                "type": _schema_name(spec) or ("enum" if "enum" in spec else ""),
                "nullable": spec.get("nullable", False),
                "required": prop in required,
                "enum": ", ".join(map(str, spec.get("enum", []))),
                "description": spec.get("description", ""),
            }
            for prop, spec in comp.get("properties", {}).items()
        ]
        enum = ", ".join(map(str, comp.get("enum", [])))
        out.append({"name": name, "properties": props, "enum": enum, "description": comp.get("description", "")})
    return out


@csrf_exempt  # GET only (require_GET): a POST is a 405, not a CSRF 403
@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    schema = build_schema()
    context = Context(
        {"info": schema.get("info", {}), "groups": _operations(schema), "components": _components(schema)}
    )
    response = HttpResponse(_template().render(context), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
