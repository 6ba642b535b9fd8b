"""A transfer sealed for the receiving supervisor's computers with their public keys from the
team server (docs/GOVERNANCE.md, "Transfer to another setting"): only their computer opens it,
and the sender keeps a receipt only when one of those computers signed it."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from screening_app import crypto
from screening_app.domain import disclosure
from screening_app.errors import InputFileError, PermissionDenied, WorkflowError
from screening_app.services.model import ListQuery
from screening_app.services.server_session import signed_in
from screening_app.sync import transfer
from screening_app.sync.client import SyncError
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, approve, cli, connect

SHARE = disclosure.make("South team DSL", "the child has moved area", "consent_given")


def test_a_transfer_sealed_for_a_supervisor_s_computers(
    server: tuple[str, str], on: Machine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connect(capsys, *server, on, "sol", "kit", "lou", "sam")
    approve(capsys, on, "sol", "sam")
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    sol = open_app(tmp_path / "sol.db", "sol", PW)
    reference = sol.listing.list(ListQuery())[0].reference
    with pytest.raises(SyncError, match="There is no supervisor nobody with a computer"):
        sol.transfers.send(reference, "nobody", SHARE)
    sent = sol.transfers.send(reference, "lou", SHARE)
    sol.close()

    sam = open_app(tmp_path / "sam.db", "sam", PW)  # a supervisor, but not the one named
    with pytest.raises(InputFileError, match="sealed for lou's computers"):
        sam.transfers.receive(sent.data)
    sam.close()
    lou = open_app(tmp_path / "lou.db", "lou", PW)
    got = lou.transfers.receive(sent.data)
    assert got.references == [reference] and got.setting == "North"
    lou.close()

    # a receipt signed by a key that is not one of lou's computers is not kept
    body = transfer.read_receipt(got.receipt)
    stranger = crypto.AccountKeys.generate()
    forged_body = {**body, "receiver_key": stranger.sign_public.hex()}
    forged = {
        "format": transfer.RECEIPT,
        "receipt": forged_body,
        "signature": base64.b64encode(stranger.sign(crypto.digest(forged_body))).decode(),
    }
    sol = open_app(tmp_path / "sol.db", "sol", PW)
    with pytest.raises(WorkflowError, match="not signed by a computer of lou"):
        sol.transfers.record_receipt(json.dumps(forged).encode())
    assert sol.transfers.record_receipt(got.receipt)["received_by"] == "lou"
    sol.close()
    kit = open_app(tmp_path / "kit.db", "kit", PW)
    with pytest.raises(PermissionDenied, match="cannot transfer a child's records"):
        kit.transfers.send(reference, "lou", SHARE)
    with signed_in(kit.session) as (client, _me), pytest.raises(SyncError) as refused:
        client.call("GET", "/v1/supervisors/lou/keys")  # the server refuses too
    assert refused.value.status == 403 and "Only supervisors may transfer" in refused.value.message
    kit.close()
