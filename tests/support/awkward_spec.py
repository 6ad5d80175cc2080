"""A small OpenAPI document in Stripe's shape whose names are as awkward as names get: keywords, soft keywords,
leading digits, dashes, dots, non-ASCII letters, names our own code uses — as schema names, model fields,
nested parameter keys, keyword arguments, path ids, service segments, methods and event types."""

from __future__ import annotations

from typing import Any

# Every awkward spelling, used at every position below.
AWKWARD = [
    "is",
    "from",
    "class",
    "type",
    "match",
    "case",
    "_",
    "None",
    "3d_secure",
    "x-dash",
    "a.b",
    "foo_bar",
    "foo-bar",
    "__mangled",
    "café",
]


def _strings(names: list[str]) -> dict[str, Any]:
    return {name: {"type": "string", "description": f"The `{name}` value."} for name in names}


def _form(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"content": {"application/x-www-form-urlencoded": {"schema": schema}}, "required": bool(required)}


def _returns(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


THING = {"$ref": "#/components/schemas/thing"}
LIST_OF_THINGS = {
    "type": "object",
    "properties": {
        "object": {"type": "string", "enum": ["list"]},
        "data": {"type": "array", "items": THING},
        "has_more": {"type": "boolean"},
        "url": {"type": "string"},
    },
    "required": ["object", "data", "has_more", "url"],
}
EVENT_TYPES = ["thing.is", "thing.class", "3d.secure", "a.b_c", "a_b.c", "class", "thing.x-dash"]


def awkward_document() -> dict[str, Any]:
    """The document: `thing` models, `/v1/things` services and friends, every name awkward."""
    # A nested parameter object with awkward keys at three depths, and a list of such objects.
    deep = {"type": "object", "properties": {**_strings(AWKWARD), "in": {"type": "integer"}}}
    nested = {
        "type": "object",
        "properties": {**_strings(AWKWARD), "lambda": deep, "for": {"type": "array", "items": deep}},
        "required": ["is"],
    }
    thing_properties: dict[str, Any] = {
        "id": {"type": "string"},
        "object": {"type": "string", "enum": ["thing"]},
        **_strings(AWKWARD),
        "model_dump": {"type": "string", "description": "Named like a pydantic method."},
        "str": {"type": "string", "description": "Named like a type this class's annotations use."},
        "def": {
            "type": "object",
            "description": "An inline object with awkward fields.",
            "properties": {**_strings(AWKWARD), "import": {"type": "integer", "nullable": True}},
        },
        "with": {"$ref": "#/components/schemas/3d.secure-result"},
        "kind": {"type": "string", "enum": ["is", "from", "3d", "x-dash"]},
    }
    schemas: dict[str, Any] = {
        "thing": {
            "type": "object",
            "description": "A thing.",
            "properties": thing_properties,
            "required": ["id", "object", "is", "from"],
            "x-resourceId": "thing",
        },
        "3d.secure-result": {
            "type": "object",
            "properties": {"object": {"type": "string", "enum": ["3d.secure-result"]}, **_strings(["is", "3d"])},
            "required": ["object"],
        },
        "class": {"type": "object", "properties": _strings(["pass"])},
        "none": {"type": "object", "properties": _strings(["if"])},
        "stripe_model": {"type": "object", "properties": _strings(["else"])},
        "event": {"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": "string"}}},
    }
    body = {**_strings(AWKWARD), "self": {"type": "string"}, "path": {"type": "string"}}
    body |= {"models": {"type": "boolean"}, "api-key": {"type": "string"}, "def": nested}
    body |= {"lambda": {"type": "array", "items": nested}, "with": {"type": "string", "enum": ["is", "3d"]}}
    paths: dict[str, Any] = {
        "/v1/things": {
            "get": {
                "operationId": "GetThings",
                "parameters": [
                    {"name": "from", "in": "query", "schema": deep},
                    {"name": "type", "in": "query", "schema": {"type": "string"}},
                    {"name": "x-dash", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "responses": _returns(LIST_OF_THINGS),
            },
            "post": {
                "operationId": "PostThings",
                "requestBody": _form(body, ["is"]),
                "responses": _returns(THING),
            },
        },
        "/v1/things/{is}": {
            "get": {
                "operationId": "GetThingsIs",
                "parameters": [
                    {"name": "is", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "class", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": _returns(THING),
            },
        },
        "/v1/things/{template}/x-y.z/{from}": {
            "post": {
                "operationId": "PostThingsTemplateXYZ",
                "parameters": [
                    {"name": "template", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "from", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": _form({"3d_secure": {"type": "boolean"}}),
                "responses": _returns(THING),
            },
        },
        "/v1/things/{is}/import": {
            "post": {
                "operationId": "PostThingsIsImport",
                "parameters": [{"name": "is", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _returns(THING),
            },
        },
        "/v1/3d-secure/{id}": {
            "get": {
                "operationId": "GetThreeDSecure",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _returns(THING),
            },
        },
        "/v1/class/{class}": {
            "get": {
                "operationId": "GetClass",
                "parameters": [{"name": "class", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _returns(THING),
            },
        },
        "/v1/webhooks": {"get": {"operationId": "GetWebhooks", "responses": _returns(THING)}},
        # Service classes: `ThingXYZService` is `things.x_y_z`'s already, `StripeService` the base class.
        "/v1/thing_x_y_z": {"get": {"operationId": "GetThingXYZ", "responses": _returns(THING)}},
        "/v1/stripes/{stripe}": {
            "get": {
                "operationId": "GetStripe",
                "parameters": [{"name": "stripe", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _returns(THING),
            },
        },
        "/v1/webhook_endpoints": {
            "post": {
                "operationId": "PostWebhookEndpoints",
                "requestBody": _form(
                    {"enabled_events": {"type": "array", "items": {"type": "string", "enum": ["*", *EVENT_TYPES]}}}
                ),
                "responses": _returns(THING),
            }
        },
    }
    return {
        "openapi": "3.0.0",
        "info": {"version": "2099-01-01.awkward", "title": "Awkward names"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
