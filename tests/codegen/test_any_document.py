"""Generating from any document Stripe has published: names that are not Python get a Python name and keep
their wire name, overrides a document made stale are warnings, and every document we have — plus a
synthetic one with every awkward name — generates code that imports, type-checks and sends wire names."""

from __future__ import annotations

import copy
import json
import keyword
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codegen.changes import render_report
from codegen.events import constant_name, constants
from codegen.generate import build_api, generate
from codegen.identifiers import class_name, module_name, snake_name, unique_names
from codegen.ir import Api
from codegen.load import load_spec
from codegen.models import INHERITED, GenerationError
from codegen.pin import materialize_references, reference_path
from codegen.render import path_ids, render
from codegen.services import CLIENT_ATTRIBUTES, REQUEST_OPTIONS
from stripe_connect import AsyncStripeClient, StripeClient
from stripe_connect._client import BaseAsyncStripeClient, BaseStripeClient
from stripe_connect._models import StripeModel
from stripe_connect._options import RequestOptions
from stripe_connect._service import path
from tests.support.awkward_spec import AWKWARD, EVENT_TYPES, awkward_document
from tests.support.generated_trees import pyright_errors, run_against

# --- the naming functions are total ---------------------------------------------------------------------------------

names = st.text(max_size=12) | st.sampled_from([*AWKWARD, *keyword.kwlist, *keyword.softkwlist, "self", "_x_"])


def usable(name: str) -> bool:
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name)


@given(st.lists(names, max_size=20), st.sets(names, max_size=5))
def test_any_names_get_distinct_usable_python_names(wires: list[str], reserved: set[str]) -> None:
    python = unique_names(wires, reserved=reserved)
    assert set(python) == set(wires)
    assert all(usable(n) and not n.startswith("_") and n not in reserved for n in python.values()), python
    assert len(set(python.values())) == len(python)
    # Deterministic: the same names whatever the order they come in.
    assert unique_names(list(reversed(wires)), reserved=reserved) == python
    # A name that is already usable keeps its spelling.
    assert all(python[w] == w for w in wires if usable(w) and not w.startswith("_") and w not in reserved)


@given(names)
def test_every_kind_of_name_is_usable(wire: str) -> None:
    assert usable(snake_name(wire)) and not snake_name(wire).startswith("_")
    assert usable(class_name(wire)) and class_name(wire)[0].isupper()
    assert usable(module_name(wire))
    assert usable(constant_name(wire)) and constant_name(wire).isupper()


@given(st.lists(names, max_size=20))
def test_event_constants_are_distinct(types: list[str]) -> None:
    pairs = constants(types)
    assert {t for _, t in pairs} == set(types)
    assert len({n for n, _ in pairs}) == len(pairs)


def test_the_spellings() -> None:
    assert [snake_name(w) for w in ["is", "from", "type", "match", "_", "3d_secure", "x-dash", "a.b", "café"]] == [
        "is_",
        "from_",
        "type",  # soft keywords are identifiers wherever we use them: `event.type` stays
        "match",
        "unnamed",
        "n_3d_secure",
        "x_dash",
        "a_b",
        "cafe",
    ]
    assert unique_names(["foo-bar", "foo_bar", "self"], reserved={"self"}) == {
        "foo_bar": "foo_bar",
        "foo-bar": "foo_bar2",
        "self": "self_",
    }
    assert [class_name(w) for w in ["checkout.session", "3d_secure", "1099", "none", ""]] == [
        "CheckoutSession",
        "ThreeDSecure",
        "N1099",
        "None_",
        "Unnamed",
    ]


# --- the synthetic document's IR ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def no_overrides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overrides") / "overrides.toml"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def awkward(no_overrides: Path) -> Api:
    return build_api(awkward_document(), no_overrides)


def test_awkward_model_fields_keep_their_wire_names(awkward: Api) -> None:
    thing = next(m for m in awkward.models if m.schema_name == "thing")
    main = thing.classes[-1]
    fields = {f.wire: f for f in main.fields}
    assert set(fields) >= {*AWKWARD, "model_dump", "str", "def", "with"}
    for wire, f in fields.items():
        assert usable(f.name) and not f.name.startswith("_"), wire
        assert f.alias == (None if f.name == wire else wire)
    assert (fields["is"].name, fields["type"].name, fields["model_dump"].name) == ("is_", "type", "model_dump_")
    assert fields["str"].name == "str_"  # it would hide `str` from its class's annotations
    assert fields["foo_bar"].name == "foo_bar" and fields["foo-bar"].name == "foo_bar2"
    inline = next(c for c in thing.classes if c.name == "ThingDef")
    assert {f.wire: f.name for f in inline.fields}["import"] == "import_"
    names = {m.schema_name: (m.name, m.module) for m in awkward.models}
    assert names["3d.secure-result"] == ("ThreeDSecureResult", "_3d_secure_result")
    assert names["class"] == ("Class", "_class")
    assert names["none"] == ("None_", "none")
    assert names["stripe_model"] == ("StripeModel_", "stripe_model")  # not the base class it would shadow


def test_awkward_params_keep_their_wire_names(awkward: Api) -> None:
    ops = {op.key: op for op in awkward.operations}
    create = ops["POST /v1/things"]
    by_wire = {p.wire: p.name for p in create.params}
    assert by_wire["is"] == "is_" and by_wire["self"] == "self_" and by_wire["path"] == "path_"
    assert by_wire["api-key"] == "api_key_"  # not the request option `api_key`
    assert by_wire["type"] == "type" and by_wire["3d_secure"] == "n_3d_secure"
    action = ops["POST /v1/things/{template}/x-y.z/{from}"]
    assert [(p.wire, p.name) for p in action.path_params] == [("template", "template"), ("from", "from_")]
    assert path_ids(action) == "template=template, **{'from': from_}"
    assert ops["POST /v1/things/{is}/import"].method == "import_"
    services = {s.dotted for s in awkward.services}
    assert services == {
        "things",
        "things.x_y_z",
        "thing_x_y_z",
        "stripes",
        "n_3d_secure",
        "class_",
        "webhooks_",
        "webhook_endpoints",
    }
    classes = {s.dotted: (s.class_name, s.module) for s in awkward.services}
    assert classes["things.x_y_z"] == ("ThingXYZService", "thing_x_y_z_service")
    assert classes["thing_x_y_z"] == ("ThingXYZ2Service", "thing_x_y_z2_service")
    assert classes["stripes"] == ("Stripe2Service", "stripe2_service")  # not the base class, StripeService
    typed = {td.name: td for op in awkward.operations for td in op.typed_dicts}
    assert typed["ThingCreateParamsDef"].functional and {f.name for f in typed["ThingCreateParamsDef"].fields} >= {
        "is",
        "3d_secure",
    }


def test_a_param_named_like_a_request_option_still_fails(no_overrides: Path) -> None:
    doc = awkward_document()
    body = doc["paths"]["/v1/things"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    body["schema"]["properties"]["idempotency_key"] = {"type": "string"}
    with pytest.raises(GenerationError, match="'idempotency_key' collides with a request option"):
        build_api(doc, no_overrides)


# --- overrides a document made stale --------------------------------------------------------------------------------


def overrides(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "overrides.toml"
    path.write_text(textwrap.dedent(text))
    return path


def test_stale_overrides_are_warnings_in_the_change_report(awkward: Api, tmp_path: Path) -> None:
    stale = overrides(
        tmp_path,
        """
        [[method]]
        operation = "GET /v1/gone"
        method = "x"
        reason = "its operation is gone"

        [[method]]
        operation = "GET /v1/things"
        method = "list"
        reason = "the rules give this name now"

        [[method]]
        operation = "POST /v1/things/{is}/import"
        method = "import_thing"
        reason = "still applies"

        [[host]]
        operation = "GET /v1/things/{is}"
        base = "api"
        reason = "the spec says so already"
        """,
    )
    api = build_api(awkward_document(), stale)
    assert api.warnings == [
        "stale special case in codegen/models.py FIELD_TYPES: notification_event_data.object is no longer a plain "
        "'object' in the spec (None); the spec's type is used",
        "stale override: GET /v1/gone is not in the spec (spec/overrides.toml)",
        "stale override: GET /v1/things is already named 'list' (spec/overrides.toml)",
        "stale host override: the spec already serves GET /v1/things/{is} from 'api'",
    ]
    assert "import_thing" in {op.method for op in api.operations}  # the override that applies is applied
    report = render_report(awkward, api)
    assert "\n4 warning(s): see the end.\n" in report
    tail = report[report.index("\n## Warnings (4)\n") :]
    for warning in api.warnings:
        assert f"- {warning}" in tail


def test_conflicting_overrides_still_fail(tmp_path: Path) -> None:
    collide = overrides(
        tmp_path,
        """
        [[method]]
        operation = "POST /v1/things/{is}/import"
        method = "retrieve"
        reason = "collides with GET /v1/things/{is}"
        """,
    )
    with pytest.raises(GenerationError, match=r"things.retrieve names two operations"):
        build_api(awkward_document(), collide)
    keyword_name = overrides(
        tmp_path,
        """
        [[method]]
        operation = "POST /v1/things/{is}/import"
        method = "import"
        reason = "a keyword"
        """,
    )
    with pytest.raises(GenerationError, match=r"method 'import' is not a usable Python name"):
        build_api(awkward_document(), keyword_name)


# --- generated, imported, type-checked, on the wire -----------------------------------------------------------------

# Uses the awkward names as a caller would; pyright must accept it and reject the marked line.
USAGE = """
from stripe_connect_generated.client import StripeClient
from stripe_connect_generated.events import A_B_C2, N_3D_SECURE, EventType
from stripe_connect_generated.models import Thing

client = StripeClient("sk_test_123")
thing: Thing = client.things.create(
    is_="x", from_="y", type="t", def_={"is": "i", "3d_secure": "s", "lambda": {"in": 1}}, lambda_=[{"is": "z"}]
)
also: Thing = client.things.x_y_z.update("t", "f", n_3d_secure=True)
client.n_3d_secure.retrieve("id")
client.class_.retrieve("c")
client.webhooks_.retrieve()
client.thing_x_y_z.retrieve()
client.stripes.retrieve("st_1")
kinds: list[EventType] = [A_B_C2, N_3D_SECURE]
name: str | None = thing.is_
client.things.create(is_="x", def_={"is": 1})  # error: an int where a string belongs
"""


@pytest.fixture(scope="module")
def awkward_tree(tmp_path_factory: pytest.TempPathFactory, no_overrides: Path) -> Path:
    root = tmp_path_factory.mktemp("awkward")
    spec = root / "awkward.json"
    spec.write_text(json.dumps(awkward_document()))
    generate(spec, root / "tree", no_overrides)
    return root


@pytest.mark.slow
def test_the_awkward_document_generates_code_pyright_accepts(awkward_tree: Path) -> None:
    (awkward_tree / "tree" / "usage.py").write_text(USAGE)
    errors, analyzed = pyright_errors(awkward_tree, "tree")
    usage_line = 1 + next(
        i for i, line in enumerate(USAGE.splitlines()) if line.endswith("# error: an int where a string belongs")
    )
    assert [e.split(": ", 1)[0] for e in errors] == [f"{awkward_tree}/tree/usage.py:{usage_line}"], errors
    assert analyzed >= 15
    # The API reference names both spellings.
    reference = (awkward_tree / "tree" / "API.md").read_text()
    assert "| `is_` (sent as `is`) | str |" in reference and "| `type` | str \\| None |" in reference


CALL = """
import json
import httpx
from stripe_connect_generated.client import StripeClient
from stripe_connect_generated.models import Thing

sent = []
THING = {"id": "th_1", "object": "thing", "is": "i", "from": "f", "class": "c", "3d_secure": "s", "x-dash": "d",
         "a.b": "ab", "foo-bar": "fb", "_": "u", "model_dump": "md", "str": "st", "def": {"import": 7, "is": "di"}}

def handler(request):
    sent.append({"method": request.method, "path": request.url.raw_path.decode(), "body": request.content.decode()})
    if request.method == "GET" and request.url.path == "/v1/things":
        return httpx.Response(200, json={"object": "list", "data": [THING], "has_more": False, "url": "/v1/things"})
    return httpx.Response(200, json=THING)

routes = []
client = StripeClient(
    "sk_test_123",
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    max_retries=0,
    hooks=[lambda attempt: routes.append(attempt.route)],
)
thing = client.things.create(
    is_="1", from_="2", class_="3", type="4", match="5", unnamed="6", n_3d_secure="7", x_dash="8", a_b="9",
    foo_bar2="10", self_="11", path_="12", models_=True, api_key_="13", mangled="14", cafe="15", with_="3d",
    def_={"is": "a", "3d_secure": "b", "lambda": {"in": 1, "x-dash": "c"}, "for": [{"class": "d"}]},
    lambda_=[{"is": "e", "from": "f"}],
)
client.things.retrieve("a b/c", class_="x")
client.things.x_y_z.update("t/1", "f 2", n_3d_secure=True)
client.things.list(from_={"is": "g", "3d_secure": "h"}, x_dash=["i", "j"])
print(json.dumps({
    "sent": sent,
    "routes": routes,
    "parsed": {"is_": thing.is_, "class_": thing.class_, "n_3d_secure": thing.n_3d_secure,
               "model_dump_": thing.model_dump_, "str_": thing.str_, "unnamed": thing.unnamed,
               "import_": thing.def_.import_ if thing.def_ else None},
    "dumped": thing.to_dict(),
    "again": Thing.model_validate(thing.to_dict()).to_dict(),
}))
"""


@pytest.mark.slow
def test_the_awkward_document_sends_and_reads_wire_names(awkward_tree: Path) -> None:
    result = json.loads(run_against(awkward_tree / "tree", CALL))
    create, retrieve, action, listing = result["sent"]
    # Hooks and spans name each operation by its route as the spec writes it.
    assert result["routes"] == [
        "/v1/things",
        "/v1/things/{is}",
        "/v1/things/{template}/x-y.z/{from}",
        "/v1/things",
    ]
    assert (create["method"], create["path"]) == ("POST", "/v1/things")
    assert dict(parse_qsl(create["body"])) == {
        "is": "1",
        "from": "2",
        "class": "3",
        "type": "4",
        "match": "5",
        "_": "6",
        "3d_secure": "7",
        "x-dash": "8",
        "a.b": "9",
        "foo-bar": "10",
        "self": "11",
        "path": "12",
        "models": "true",
        "api-key": "13",
        "__mangled": "14",
        "café": "15",
        "with": "3d",
        "def[is]": "a",
        "def[3d_secure]": "b",
        "def[lambda][in]": "1",
        "def[lambda][x-dash]": "c",
        "def[for][0][class]": "d",
        "lambda[0][is]": "e",
        "lambda[0][from]": "f",
    }
    assert (retrieve["method"], urlsplit(retrieve["path"]).path) == ("GET", "/v1/things/a%20b%2Fc")
    assert parse_qsl(urlsplit(retrieve["path"]).query) == [("class", "x")]
    assert (action["path"], parse_qsl(action["body"])) == (
        "/v1/things/t%2F1/x-y.z/f%202",
        [("3d_secure", "true")],
    )
    query = parse_qsl(urlsplit(listing["path"]).query)
    assert query == [("from[is]", "g"), ("from[3d_secure]", "h"), ("x-dash[]", "i"), ("x-dash[]", "j")]
    # Read by their Python names, dumped back by their wire names.
    assert result["parsed"] == {
        "is_": "i",
        "class_": "c",
        "n_3d_secure": "s",
        "model_dump_": "md",
        "str_": "st",
        "unnamed": "u",
        "import_": 7,
    }
    sent_back = {"id": "th_1", "object": "thing", "is": "i", "from": "f", "class": "c", "3d_secure": "s"}
    sent_back |= {"x-dash": "d", "a.b": "ab", "foo-bar": "fb", "_": "u", "model_dump": "md", "str": "st"}
    sent_back |= {"def": {"import": 7, "is": "di"}}
    assert result["dumped"] == sent_back
    assert result["again"] == sent_back


# --- every document we have -----------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("reference", ["previous", "sdk"])
def test_every_reference_document_generates_code_pyright_accepts(reference: str, tmp_path: Path) -> None:
    # The pinned document's code is what the tests import: test_typing checks it with pyright, and
    # test_two_generations_are_byte_identical proves a fresh generation equals it. Here: the others.
    materialize_references()
    report = generate(reference_path(reference), tmp_path / "tree")
    assert report.operations > 300
    # A probe proves the tree is checked on its own, not against the installed package: a model only the
    # pinned document has must be missing.
    (tmp_path / "tree" / "probe.py").write_text(
        "from stripe_connect_generated.models.payment_method_domain import PaymentMethodDomain\n"
    )
    errors, analyzed = pyright_errors(tmp_path, "tree")
    probe_errors = [e for e in errors if "probe.py" in e]
    assert len(probe_errors) == 1 and "tree/probe.py" in probe_errors[0], probe_errors
    assert [e for e in errors if "probe.py" not in e] == []
    assert analyzed > 700


def test_the_sdk_document_generates_despite_overrides_it_makes_stale() -> None:
    materialize_references()
    api = build_api(load_spec(reference_path("sdk")))
    gone = "stale override: DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id} is not in the spec"
    assert any(w.startswith(gone) for w in api.warnings), api.warnings
    assert len(api.operations) > 300


def test_events_constants_of_awkward_types(awkward: Api) -> None:
    assert dict(constants(awkward.event_types)) == {
        "A_B_C": "a.b_c",
        "A_B_C2": "a_b.c",
        "CLASS": "class",
        "N_3D_SECURE": "3d.secure",
        "THING_CLASS": "thing.class",
        "THING_IS": "thing.is",
        "THING_X_DASH": "thing.x-dash",
    }
    assert sorted(awkward.event_types) == sorted(EVENT_TYPES)


def test_a_document_with_strings_python_cannot_hold_as_they_are(no_overrides: Path, tmp_path: Path) -> None:
    doc: dict[str, Any] = awkward_document()
    doc["info"]["version"] = 'v"1\\'
    spec = tmp_path / "odd.json"
    spec.write_text(json.dumps(doc))
    generate(spec, tmp_path / "tree", no_overrides)
    init = (tmp_path / "tree" / "stripe_connect_generated" / "__init__.py").read_text()
    namespace: dict[str, Any] = {}
    exec(compile(init, "__init__.py", "exec"), namespace)
    assert namespace["API_VERSION"] == 'v"1\\'


def test_the_pinned_document_keeps_every_name_as_stripe_spells_it(spec: dict[str, Any]) -> None:
    # Its names are all plain: none gets another spelling. A new attribute of StripeModel or of the clients
    # that a Stripe field or service shares would rename that field or service; this says which.
    api = build_api(spec)
    renamed = [f"{m.name}.{f.name} ({f.wire})" for m in api.models for c in m.classes for f in c.fields if f.alias]
    renamed += [
        f"{op.key}: {p.name} ({p.wire})"
        for op in api.operations
        for p in op.path_params + op.params
        if p.name != p.wire
    ]
    renamed += [
        s.dotted for s in api.services if not all(usable(a) and a.islower() and not a.endswith("_") for a in s.path)
    ]
    assert renamed == []


def test_a_property_and_a_nested_parameter_named_is_render_valid_python(spec: dict[str, Any]) -> None:
    # What a later Stripe document does (Iceland, `is`, in tax registration country options), on the pinned one.
    doc = copy.deepcopy(spec)
    doc["components"]["schemas"]["address"]["properties"]["is"] = {"type": "string", "nullable": True}
    body = doc["paths"]["/v1/customers"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    body["schema"]["properties"]["address"]["anyOf"][0]["properties"]["is"] = {"type": "string"}
    files = render(build_api(doc))
    model = files["stripe_connect_generated/models/address.py"]
    assert '    is_: str | None = Field(None, alias="is")' in model.replace("'", '"')
    params = files["stripe_connect_generated/params/customer_service.py"]
    assert "CustomerCreateParamsAddress = TypedDict(" in params
    for name in ("models/address.py", "params/customer_service.py"):
        compile(files[f"stripe_connect_generated/{name}"], name, "exec")


def test_path_ids_may_have_any_name() -> None:
    route = path("/v1/x/{a.b}/{template}/{is}", **{"a.b": "1 2", "template": "t", "is": "i/j"})
    assert (route.template, route.path) == ("/v1/x/{a.b}/{template}/{is}", "/v1/x/1%202/t/i%2Fj")


def test_the_names_codegen_reserves_are_the_runtimes() -> None:
    # codegen runs without the runtime's dependencies, so it lists them; these must stay the runtime's own.
    public = {n for n in dir(StripeModel) if not n.startswith("_")}
    assert public == INHERITED
    clients = {n for n in {*dir(BaseStripeClient), *dir(BaseAsyncStripeClient)} if not n.startswith("_")}
    beside_services = {"oauth", "webhooks"}  # what the generated clients add to the core's beside the service tree
    assert beside_services <= set(dir(StripeClient)) & set(dir(AsyncStripeClient))
    assert clients | beside_services == CLIENT_ATTRIBUTES
    assert set(RequestOptions.__annotations__) == REQUEST_OPTIONS
