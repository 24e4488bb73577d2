"""The HTTP side: an aiohttp server on 127.0.0.1 speaking the Bot API wire format.

Routes, like api.telegram.org:

* ``GET|POST /bot<token>/<method>`` with parameters in the query string, a JSON body, a
  url-encoded form or ``multipart/form-data`` (file uploads);
* ``GET /file/bot<token>/<file_path>`` to download a file returned by getFile.

Every request is appended to ``state.calls`` when it arrives and completed when answered. The
socket is created and bound here, explicitly to 127.0.0.1, so the emulator can never be reached
from another machine. Its only outbound connections are webhook pushes to this machine
(``webhook.py``), running while the server does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import socket
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiohttp import web

from bot.emulator import limits
from bot.emulator.errors import ApiError, bad_request, not_found, unauthorized
from bot.emulator.faults import FaultPlan
from bot.emulator.methods import call_method, canonical_method
from bot.emulator.models import ApiCall, UploadedFile
from bot.emulator.params import decode_params
from bot.emulator.state import EmulatorState

HOST = "127.0.0.1"
DOWNLOAD_METHOD = "downloadFile"  # how file downloads appear in the call log

_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{35,}$")
_API_PATH = re.compile(r"^/bot(?P<token>[^/]*)/(?P<method>[^/]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]*)/(?P<path>.+)$")
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
_dumps = partial(json.dumps, ensure_ascii=False)
_LOGGER = logging.getLogger(__name__)


@dataclass
class ServerConfig:
    """Knobs the emulator exposes as attributes (``accepted_token``, ``timeout_delay``)."""

    accepted_token: str | None = None
    timeout_delay: float = 30.0

    def token_ok(self, token: str) -> bool:
        """Any well-formed token, or exactly ``accepted_token`` when one is set."""
        if self.accepted_token is not None:
            return token == self.accepted_token
        return bool(_TOKEN.match(token))


class ApiServer:
    """Owns the aiohttp runner and translates HTTP requests into method calls."""

    def __init__(self, state: EmulatorState, faults: FaultPlan, config: ServerConfig) -> None:
        self._state = state
        self._faults = faults
        self._config = config
        self._runner: web.AppRunner | None = None
        self._socket: socket.socket | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._runner is not None

    @property
    def address(self) -> tuple[str, int]:
        """The bound (host, port); only valid while running."""
        if self._socket is None:
            raise RuntimeError("the emulator is not running; call start() first")
        host, port = self._socket.getsockname()[:2]
        return host, port

    async def start(self, port: int = 0) -> None:
        """Bind 127.0.0.1:``port`` (0 = any free port) and start serving."""
        if self._runner is not None:
            return
        self._stopping = asyncio.Event()
        self._state.updates.open()
        app = web.Application(client_max_size=limits.MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if os.name == "posix":  # rebinding a fixed port right after a restart (TIME_WAIT)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner, self._socket = runner, sock
        self._state.pusher.follow()  # a webhook set before a restart is pushed to again

    async def stop(self) -> None:
        """Release waiting requests and close the socket."""
        if self._runner is None:
            return
        self._stopping.set()
        self._state.updates.close()
        await self._state.pusher.stop()
        runner, sock = self._runner, self._socket
        self._runner = self._socket = None
        await runner.cleanup()
        if sock is not None:
            sock.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api = _API_PATH.match(request.path)
        if api:
            return await self._api_request(request, api["token"], api["method"])
        download = _FILE_PATH.match(request.path)
        if download:
            return await self._download(download["token"], download["path"])
        call = self._record(request.path, {})
        return self._error(call, not_found())

    async def _api_request(self, request: web.Request, token: str, name: str) -> web.Response:
        call = self._record(name, {})
        try:
            if not self._config.token_ok(token):
                raise unauthorized()
            method = canonical_method(name)
            if method is None:
                raise not_found("method not found")
            call.method = method
            raw, files = await _read_body(request)
            call.params = raw  # kept as received if decoding them fails
            call.params = params = decode_params(method, raw, files)
            await self._apply_fault(method)
            result = await call_method(self._state, method, params)
        except ApiError as exc:
            return self._error(call, exc)
        except asyncio.CancelledError:
            self._finish(call, ok=False, description="client disconnected before the answer")
            raise
        except Exception as exc:
            # A bug in the emulator must not look like a Telegram answer: log it loudly and say
            # so in the description, but keep the JSON shape so the bot sees a NetworkError.
            _LOGGER.exception("emulator failed handling %s", call.method)
            return self._error(call, ApiError(500, f"Internal Server Error: emulator bug: {exc!r}"))
        self._finish(call, ok=True, result=result)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _apply_fault(self, method: str) -> None:
        fault = self._faults.take(method)
        if fault is None:
            return
        error = fault.error()
        if error is not None:
            raise error
        # Hold the request; a client with a shorter read timeout gives up (and aiohttp cancels
        # this handler, so the request is dropped unprocessed). A patient client gets a normal
        # answer afterwards. Stopping the emulator releases held requests at once.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), self._config.timeout_delay)
        if self._stopping.is_set():
            raise ApiError(500, "Internal Server Error: emulator stopped")

    async def _download(self, token: str, file_path: str) -> web.Response:
        call = self._record(DOWNLOAD_METHOD, {"file_path": file_path})
        if not self._config.token_ok(token):
            return self._error(call, unauthorized())
        stored = self._state.files.by_path(file_path)
        if stored is None:
            return self._error(call, not_found())
        self._finish(call, ok=True, result={"file_path": file_path, "size": stored.size})
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    def _record(self, method: str, params: dict[str, Any]) -> ApiCall:
        call = ApiCall(method=method, params=params, at=self._state.now())
        self._state.calls.append(call)
        return call

    def _finish(
        self,
        call: ApiCall,
        *,
        ok: bool,
        result: Any = None,
        error_code: int | None = None,
        description: str | None = None,
    ) -> None:
        call.ok, call.result, call.pending = ok, result, False
        call.error_code, call.description = error_code, description

    def _error(self, call: ApiCall, error: ApiError) -> web.Response:
        self._finish(call, ok=False, error_code=error.status, description=error.description)
        return web.json_response(error.payload(), status=error.status, dumps=_dumps)


async def _read_body(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Query string + body (JSON, url-encoded or multipart) -> raw values and file parts."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.can_read_body:
        return raw, files
    try:
        if request.content_type == "application/json":
            raw.update(await _json_body(request))
        elif request.content_type in _FORM_TYPES:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[key] = UploadedFile(value.filename, value.content_type, data)
                else:
                    raw[key] = value
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "Request Entity Too Large") from None
    return raw, files


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("can't parse JSON encoded request body") from None
    if not isinstance(body, dict):
        raise bad_request("JSON object expected as request body")
    return body
