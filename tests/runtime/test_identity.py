"""Who is calling: `User-Agent` and `X-Stripe-Client-User-Agent`, compared with what stripe-python 16.1.0
(installed by the dev extra, pinned as bench/ pins it) sends for the same `app_info`."""

from __future__ import annotations

import getpass
import json
import platform
import socket
from collections.abc import Iterator

import pytest

from stripe_connect import AppInfo, StripeClient, __version__
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply
from tests.support.objects import CHARGE

APP: AppInfo = {
    "name": "MyPlatform",
    "version": "1.2.3",
    "url": "https://platform.example",
    "partner_id": "pp_partner_123",
}


def sent_identity(fault: FaultServer, **client_args: object) -> tuple[str, dict[str, object]]:
    fault.script(Reply(200, CHARGE))
    with StripeClient(API_KEY, api_base=fault.url, **client_args) as client:  # type: ignore[arg-type]
        client.charges.retrieve("ch_1")
    headers = fault.requests[-1].headers
    return headers["user-agent"], json.loads(headers["x-stripe-client-user-agent"])


def test_every_request_names_the_library_and_the_runtime(fault: FaultServer) -> None:
    user_agent, client = sent_identity(fault)
    assert user_agent.startswith(f"stripe-connect/{__version__} python/{platform.python_version()} httpx/")
    assert client == {
        "bindings_version": __version__,
        "lang": "python",
        "publisher": "stripe-connect",
        "httplib": "httpx",
        "lang_version": platform.python_version(),
        "platform": platform.platform(),
    }


def test_app_info_joins_both_headers(fault: FaultServer) -> None:
    user_agent, client = sent_identity(fault, app_info=APP)
    assert user_agent.endswith(" MyPlatform/1.2.3 (https://platform.example)")
    assert client["application"] == APP


def test_app_info_name_alone(fault: FaultServer) -> None:
    user_agent, client = sent_identity(fault, app_info={"name": "my-plugin"})
    assert user_agent.endswith(" my-plugin")
    assert client["application"] == {"name": "my-plugin", "partner_id": None, "url": None, "version": None}


def test_nothing_names_the_machine_or_its_user(fault: FaultServer) -> None:
    fault.script(Reply(200, CHARGE))
    with StripeClient(API_KEY, api_base=fault.url, app_info=APP) as client:
        client.charges.retrieve("ch_1")
    sent = " ".join(fault.requests[-1].headers.values())
    for private in {socket.gethostname(), platform.node(), getpass.getuser()} - {"", "root"}:
        assert private not in sent
    assert "uname" not in json.loads(fault.requests[-1].headers["x-stripe-client-user-agent"])


def test_derived_clients_keep_the_identity(fault: FaultServer) -> None:
    fault.script(Reply(200, CHARGE))
    with StripeClient(API_KEY, api_base=fault.url, app_info=APP) as client:
        client.for_account("acct_1").charges.retrieve("ch_1")
    assert fault.requests[-1].headers["user-agent"].endswith(" MyPlatform/1.2.3 (https://platform.example)")


@pytest.mark.parametrize(
    ("app_info", "error", "message"),
    [
        ({"version": "1"}, ValueError, "app_info['name'] must be a non-empty string"),
        ({"name": ""}, ValueError, "app_info['name'] must be a non-empty string"),
        ({"name": "x", "homepage": "y"}, TypeError, "unknown key(s) ['homepage']"),
        ({"name": "x", "version": "1\r\nX-Injected: 1"}, ValueError, "app_info['version'] must be printable ASCII"),
        ({"name": "plateforme-été"}, ValueError, "app_info['name'] must be printable ASCII"),
        ({"name": "x", "version": 2}, ValueError, "app_info['version'] must be a non-empty string"),
        ("MyPlatform", TypeError, "app_info must be a dict"),
    ],
)
def test_app_info_is_checked_at_construction(app_info: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        StripeClient(API_KEY, app_info=app_info)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_extra_headers_cannot_replace_the_identity() -> None:
    client = StripeClient(API_KEY)
    with pytest.raises(ValueError, match="X-Stripe-Client-User-Agent"):
        client.raw_request("get", "/v1/balance", extra_headers={"X-Stripe-Client-User-Agent": "{}"})


# stripe-python, against the same server.


@pytest.fixture
def stripe_python(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> Iterator[object]:
    stripe = pytest.importorskip("stripe")  # the dev extra installs it; skipped only outside it
    from stripe._api_requestor import _APIRequestor

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # where it would write its telemetry id
    for variable, _agent in _APIRequestor.AI_AGENTS:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(stripe, "app_info", None)
    yield stripe


def test_the_headers_match_stripe_pythons_field_for_field(fault: FaultServer, stripe_python: object) -> None:
    import stripe

    assert stripe.VERSION == "16.1.0"
    stripe.set_app_info(APP["name"], partner_id=APP.get("partner_id"), url=APP.get("url"), version=APP.get("version"))
    fault.script(Reply(200, CHARGE))
    theirs_client = stripe.StripeClient(API_KEY, base_addresses={"api": fault.url})
    theirs_client.v1.charges.retrieve("ch_1")
    theirs_headers = fault.requests[-1].headers
    theirs = json.loads(theirs_headers["x-stripe-client-user-agent"])
    user_agent, ours = sent_identity(fault, app_info=APP)

    # Their User-Agent is "Stripe/v1 PythonBindings/16.1.0 <app>"; ours names this library, then the same <app>.
    their_app = theirs_headers["user-agent"].removeprefix(f"Stripe/v1 PythonBindings/{stripe.VERSION} ")
    assert user_agent.endswith(" " + their_app)
    # Every field of theirs we send too, with the same meaning, except the id they store in the user's home
    # directory to recognise the machine: a tracking id is what a platform's identity must not carry.
    assert set(theirs) - set(ours) == {"telemetry_id"}
    for field in ("lang", "lang_version", "platform", "application"):
        assert ours[field] == theirs[field], field
    assert (ours["bindings_version"], theirs["bindings_version"]) == (__version__, stripe.VERSION)
    assert isinstance(theirs["httplib"], str) and ours["httplib"] == "httpx"
    # What we add: who publishes these bindings (older Stripe SDKs sent it too).
    assert set(ours) - set(theirs) == {"publisher"}
