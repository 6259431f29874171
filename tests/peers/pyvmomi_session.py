#!/usr/bin/env python3
"""SessionManager scenario with pyVmomi as the client: a real peer for vcsim and vimsim.

    python pyvmomi_session.py --url http://127.0.0.1:PORT/sdk --user U --password P \
        [--readonly-user U --readonly-password P] [--insecure]

Prints one JSON object per line per step on stdout, e.g.

    {"step": "connect", "ok": true, "value": {"protocol": "http"}}
    {"step": "terminate_own", "ok": false, "fault": "InvalidArgument", "message": "..."}

`ok` says whether the step's calls raised nothing; a vSphere fault is data (`fault` is the
fault class's WSDL name, `message` its text), any other exception is `error`. `value` holds
what the step read. The program exits 0 when it ran every step, 1 when it could not connect
at all, 2 on a usage error. Passwords and clone tickets are never printed.

See tests/peers/README.md for the steps and what vcsim answers to each.
"""

import argparse
import json
import sys
import urllib.parse

from pyVim.connect import SmartConnect, getSslContext
from pyVmomi import SoapStubAdapter, vim, vmodl


def emit(step, ok, **fields):
    line = {"step": step, "ok": ok}
    line.update(fields)
    print(json.dumps(line, sort_keys=False, default=str), flush=True)


def failure(exc):
    """The JSON fields describing an exception: a vSphere fault by its WSDL name, anything
    else (HTTP, socket, pyVmomi's own errors) as `error`."""
    if isinstance(exc, vmodl.MethodFault):
        return {"fault": type(exc)._wsdlName, "message": exc.msg or ""}
    return {"error": "%s: %s" % (type(exc).__name__, exc)}


def step(name, fn, shown=lambda result: result):
    """Runs one reading step: `fn` returns the step's result, `shown` turns it into the printed
    `value` (for a secret, a harmless summary; null is printed too). Never raises: a failed
    step is a line, and the scenario goes on (later steps report what that leaves behind).
    Returns the result, None when the step failed."""
    try:
        result = fn()
    except Exception as exc:  # a fault is data: record it whatever it is
        emit(name, False, **failure(exc))
        return None
    emit(name, True, value=shown(result))
    return result


def action(name, fn):
    """Runs one step whose call returns nothing (its line has no `value`)."""
    try:
        fn()
    except Exception as exc:
        emit(name, False, **failure(exc))
        return
    emit(name, True)


class Server:
    """Where the endpoint is, parsed once from --url."""

    def __init__(self, url, insecure):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("--url wants http(s)://HOST:PORT/sdk, got %r" % url)
        self.protocol = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if self.protocol == "https" else 80)
        self.path = parts.path or "/sdk"
        self.insecure = insecure
        # vcsim prints its URL with user:pass@ inside: usable as defaults for --user/--password.
        self.url_user = urllib.parse.unquote(parts.username) if parts.username else None
        self.url_password = urllib.parse.unquote(parts.password) if parts.password else None
        self.endpoint = "%s://%s:%d%s" % (self.protocol, parts.hostname, self.port, self.path)
        # The API version SmartConnect negotiated, for the anonymous stubs.
        self.version = None

    def connect(self, user, password):
        """SmartConnect: version negotiation through vimServiceVersions.xml, then Login.
        Returns the ServiceInstance's content."""
        si = SmartConnect(protocol=self.protocol, host=self.host, port=self.port, path=self.path,
                          user=user, pwd=password, disableSslCertValidation=self.insecure)
        self.version = si._stub.version
        return si.RetrieveContent()

    def anonymous(self):
        """A fresh stub with no session (the second client of CloneSession), speaking the
        version the first connection negotiated. Not SmartStubAdapter: in pyVmomi 9.1.1.0 it
        passes the negative port that means "plain HTTP" on to its version probe, which then
        fails (`gaierror: Servname not supported`) for every http:// URL."""
        context = getSslContext(self.host, None, self.insecure) if self.protocol == "https" else None
        stub = SoapStubAdapter(url=self.endpoint, version=self.version, sslContext=context)
        return vim.ServiceInstance("ServiceInstance", stub).RetrieveContent()


def logout_quietly(content):
    """Ends a helper session; a failure here is not the scenario's business."""
    try:
        content.sessionManager.Logout()
    except Exception:
        pass


def scenario(server, user, password, ro_user, ro_password):
    content = None

    def connect():
        nonlocal content
        content = server.connect(user, password)
        return {"protocol": server.protocol}

    step("connect", connect)
    if content is None:
        return False
    sm = content.sessionManager

    step("about", lambda: {"apiVersion": content.about.apiVersion,
                           "fullName": content.about.fullName,
                           "apiType": content.about.apiType})

    ours = {}

    def current_session():
        s = sm.currentSession
        if s is None:
            return {"userName": None}
        ours["key"] = s.key
        return {"userName": s.userName}

    step("current_session", current_session)

    def session_list():
        sessions = sm.sessionList or []
        return {"count": len(sessions), "containsOurs": any(s.key == ours.get("key") for s in sessions)}

    step("session_list", session_list)
    step("message", lambda: sm.message)
    step("message_locales", lambda: list(sm.messageLocaleList or []))
    step("supported_locales", lambda: list(sm.supportedLocaleList or []))
    step("default_locale", lambda: sm.defaultLocale)

    # The ticket is a credential: the line says only that a non-empty one came back.
    ticket = step("acquire_clone_ticket", lambda: sm.AcquireCloneTicket(),
                  shown=lambda t: {"nonEmpty": bool(t)})
    second = {}

    def clone_session():
        if ticket is None:
            raise RuntimeError("no clone ticket")
        content2 = server.anonymous()
        cloned = content2.sessionManager.CloneSession(ticket)
        second["content"], second["key"] = content2, cloned.key
        current = content2.sessionManager.currentSession
        return {"userName": cloned.userName,
                "currentSessionUser": current.userName if current else None,
                "newKey": cloned.key != ours.get("key")}

    step("clone_session", clone_session)

    def clone_ticket_reuse():
        if ticket is None:
            raise RuntimeError("no clone ticket")
        content3 = server.anonymous()
        cloned = content3.sessionManager.CloneSession(ticket)
        # Accepted twice: end that extra session so it does not linger.
        logout_quietly(content3)
        return {"userName": cloned.userName}

    step("clone_ticket_reuse", clone_ticket_reuse)
    step("session_is_active", lambda: sm.SessionIsActive(sessionID=ours.get("key"), userName=user))

    action("set_locale", lambda: sm.SetLocale(locale="en"))
    action("set_locale_invalid", lambda: sm.SetLocale(locale="xx_INVALID"))

    def update_service_message():
        text = "vimgen peer test: maintenance at noon"
        sm.UpdateServiceMessage(message=text)
        read = sm.message
        return {"readBack": read, "matches": read == text}

    step("update_service_message", update_service_message)

    def terminate_session():
        if "key" not in second:
            raise RuntimeError("no cloned session to terminate")
        sm.TerminateSession(sessionId=[second["key"]])

    action("terminate_session", terminate_session)

    def terminate_session_gone():
        if "key" not in second:
            raise RuntimeError("no cloned session")
        sessions = sm.sessionList or []
        return {"inSessionList": any(s.key == second["key"] for s in sessions),
                "isActive": sm.SessionIsActive(sessionID=second["key"], userName=user)}

    step("terminate_session_gone", terminate_session_gone)

    def terminated_call():
        # The terminated client itself: an authenticated call must now fail.
        if "content" not in second:
            raise RuntimeError("no cloned session")
        second["content"].sessionManager.AcquireCloneTicket()
        return {"stillWorks": True}

    step("terminated_call", terminated_call)
    action("terminate_own", lambda: sm.TerminateSession(sessionId=[ours.get("key")]))
    action("terminate_unknown", lambda: sm.TerminateSession(sessionId=["52000000-0000-0000-0000-00000000dead"]))

    def wrong_password():
        extra = server.connect(user, password + "-wrong")
        # Accepted (vcsim takes any password): log that session out again.
        logout_quietly(extra)
        return {"accepted": True}

    step("wrong_password", wrong_password)

    if ro_user is None:
        emit("readonly_login", None, skipped=True)
        emit("readonly_terminate", None, skipped=True)
    else:
        readonly = {}

        def readonly_login():
            readonly["content"] = server.connect(ro_user, ro_password)
            current = readonly["content"].sessionManager.currentSession
            return {"userName": current.userName if current else None}

        step("readonly_login", readonly_login)

        def readonly_terminate():
            if "content" not in readonly:
                raise RuntimeError("the read-only user could not log in")
            # The victim is an admin session of its own, so that a server that wrongly allows
            # this does not end the scenario's main session.
            victim = server.connect(user, password)
            try:
                key = victim.sessionManager.currentSession.key
                readonly["content"].sessionManager.TerminateSession(sessionId=[key])
                return {"terminated": True}
            finally:
                logout_quietly(victim)
                logout_quietly(readonly["content"])

        step("readonly_terminate", readonly_terminate)

    action("logout", lambda: sm.Logout())

    def after_logout():
        sm.AcquireCloneTicket()
        return {"stillWorks": True}

    step("after_logout", after_logout)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--readonly-user")
    parser.add_argument("--readonly-password")
    parser.add_argument("--insecure", action="store_true",
                        help="accept a self-signed certificate (pyVmomi never verifies 127.0.0.1 anyway)")
    args = parser.parse_args()
    try:
        server = Server(args.url, args.insecure)
    except ValueError as e:
        parser.error(str(e))
    user = args.user or server.url_user
    password = args.password if args.password is not None else server.url_password
    if not user or password is None:
        parser.error("--user and --password are required (or credentials inside --url)")
    if (args.readonly_user is None) != (args.readonly_password is None):
        parser.error("--readonly-user and --readonly-password go together")
    ran = scenario(server, user, password, args.readonly_user, args.readonly_password)
    return 0 if ran else 1


if __name__ == "__main__":
    sys.exit(main())
