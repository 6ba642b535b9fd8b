"""The desktop's HTTPS client of the team server, pinned to one certificate.

``connect`` fetches the server's certificate, compares its SHA-256 fingerprint with the one the
organisation gave (refusing, with both fingerprints, when they differ) and keeps it; from then on
every request trusts exactly that certificate. Every failure becomes a :class:`SyncError` whose
message says what happened and that nothing was lost.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import ssl
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from screening_app.errors import StorageError
from screening_app.sync.wire import Challenge, SignedIn

M = TypeVar("M", bound=BaseModel)

# httpx is imported when a client is made (a sync, a connect), not when the window starts: it
# costs 12 MiB and 80 ms that a computer never connected to a server would carry for nothing
TIMEOUT = (15.0, 5.0)  # seconds: any step of a request, and connecting


class SyncError(StorageError):
    """The server could not be used now; ``status`` is its HTTP answer when it gave one. A
    StorageError like any other: shown as it is, exit 2 on the command line."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def presented_certificate(url: str) -> bytes:
    """The certificate (DER) the server at ``url`` presents now, not yet trusted."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise SyncError("The server address must start with https:// and name a host.")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # fetched only to compare with a pinned fingerprint
    try:
        address = (parts.hostname, parts.port or 443)
        with (
            socket.create_connection(address, timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except OSError as exc:
        raise SyncError(f"The server at {url} cannot be reached ({exc.strerror or exc}).") from None
    if der is None:
        raise SyncError("The server sent no certificate.")
    return der


def fetch_certificate(url: str, expected_fingerprint: str) -> str:
    """The server's certificate (PEM), if its fingerprint is ``expected_fingerprint``."""
    der = presented_certificate(url)
    found = hashlib.sha256(der).hexdigest()
    wanted = expected_fingerprint.strip().lower().replace(":", "")
    if found != wanted:
        raise SyncError(
            "The server's certificate is not the one you were given, so nothing was sent. "
            f"Expected fingerprint {wanted}, the server shows {found}. Ask IT before going on."
        )
    return ssl.DER_cert_to_PEM_cert(der)


def _changed_certificate(url: str, pinned_pem: str) -> SyncError:
    """The refusal when the server's certificate is no longer the pinned one, naming both."""
    pinned = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pinned_pem)).hexdigest()
    try:
        now = hashlib.sha256(presented_certificate(url)).hexdigest()
    except SyncError:
        now = "(not readable)"
    return SyncError(
        "The server's certificate has changed since this computer connected, so nothing was "
        f"sent. This computer trusts fingerprint {pinned}; the server now shows {now}. Ask IT "
        "whether the change is expected; if it is, connect again with the new fingerprint."
    )


class ServerClient:
    """Requests to one server, trusting only ``certificate_pem``."""

    def __init__(self, url: str, certificate_pem: str, *, transport: Any = None) -> None:
        context = ssl.create_default_context(cadata=certificate_pem)
        context.check_hostname = False  # the pinned certificate is the identity
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        import httpx

        self.http = httpx.Client(
            base_url=url.rstrip("/"),
            verify=context,
            timeout=httpx.Timeout(TIMEOUT[0], connect=TIMEOUT[1]),
            transport=transport,
        )
        self.token = ""
        self.url, self.pinned = url, certificate_pem

    def close(self) -> None:
        self.http.close()

    def sign_in(self, name: str, password: str, device: str | None = None) -> SignedIn:
        body: dict[str, Any] = {"name": name, "password": password}
        if device:
            body["device_id"] = device
        answer = read(SignedIn, self._call("POST", "/v1/sessions", json=body), "/v1/sessions")
        self.token = answer.token
        return answer

    def sign_in_device(self, device: str, sign: Any) -> SignedIn:
        """Sign in as a registered device: ``sign(message) -> signature`` with its key."""
        path = "/v1/sessions/challenge"
        nonce = read(Challenge, self._call("GET", path, params={"device_id": device}), path).nonce
        signature = sign(b"cse-screening sign-in " + unb64(nonce))
        body = {"device_id": device, "nonce": nonce, "signature": b64(signature)}
        path = "/v1/sessions/device"
        answer = read(SignedIn, self._call("POST", path, json=body), path)
        self.token = answer.token
        return answer

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        return self._call(method, path, headers=headers, **kwargs)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper():
                raise _changed_certificate(self.url, self.pinned) from None
            raise SyncError(
                "The server cannot be reached; nothing was lost and the queue stays for the "
                "next try."
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise SyncError(
                "The server closed the connection before it answered; nothing was lost and the "
                "queue stays for the next try."
            ) from None
        except httpx.TimeoutException:
            raise SyncError("The server did not answer in time; nothing was lost.") from None
        except httpx.HTTPError as exc:
            raise SyncError(f"The server could not be used ({exc.__class__.__name__}).") from None
        if response.status_code >= 400:
            try:
                detail = str(response.json().get("detail", ""))
            except ValueError:
                detail = ""
            raise SyncError(
                detail or f"The server answered {response.status_code}.", response.status_code
            )
        if response.status_code == 204:
            return None
        return response.json()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def read(model: type[M], answer: Any, path: str) -> M:
    """``answer`` as ``model`` (sync/wire.py), or a SyncError naming the route that answered
    in another shape: an app and a server of different versions, said plainly."""
    try:
        return model.model_validate(answer)
    except ValidationError:
        raise SyncError(
            f"The team server answered {path} in a shape this computer does not know: update "
            "the app or the server so that both are of the same version. Nothing was lost."
        ) from None
