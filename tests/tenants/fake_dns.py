"""A DNS server on 127.0.0.1 speaking the real protocol over UDP (dnspython's wire format), for
the custom domains' verification: the town's DNS provider, which cannot be reached from here.

    with FakeDns() as dns:                 # settings.DNS_RESOLVER points at it meanwhile
        dns.set("participez.ville.fr", "CNAME", "ville-a.localhost")
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class FakeDns:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.questions: list[tuple[str, str]] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        host, port = self._socket.getsockname()
        return f"{host}:{port}"

    def set(self, name: str, kind: str, *values: str) -> None:
        self.records[(name.lower(), kind)] = list(values)

    def __enter__(self) -> FakeDns:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._socket.close()

    def _serve(self) -> None:
        while True:
            try:
                wire, peer = self._socket.recvfrom(4096)
            except OSError:  # closed
                return
            self._socket.sendto(self._answer(dns.message.from_wire(wire)).to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        kind = dns.rdatatype.to_text(question.rdtype)
        self.questions.append((name, kind))
        values = self.records.get((name, kind))
        if values is None:
            known = any(known_name == name for known_name, _kind in self.records)
            response.set_rcode(dns.rcode.NOERROR if known else dns.rcode.NXDOMAIN)
            return response
        texts = [f'"{value}"' if kind == "TXT" else f"{value}." for value in values]
        response.answer.append(dns.rrset.from_text(question.name, 300, "IN", kind, *texts))
        return response
