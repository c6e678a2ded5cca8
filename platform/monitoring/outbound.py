"""Where the monitors may connect: the public Internet and the platform's own sites, nothing inside.

The link checker follows what editors publish and the probes what the registry holds, so an
address such as http://169.254.169.254/ (cloud metadata), http://127.0.0.1:6082/ (the edge's
admin port) or http://10.0.0.5:5432/ would make the server connect there and tell the
dashboard what it found: a port scanner of the inside network. Every request resolves its
host once, keeps only addresses that are public (or on the MONITORING_OUTBOUND_ALLOW list an
intranet deployment sets), and connects to the address it checked (a second lookup could
answer otherwise). The platform's own hosts are trusted whatever they resolve to, and so are
the operator's MONITORING_PROBE_CONNECT_TO targets.
"""

import ipaddress
import socket
from dataclasses import dataclass

from django.conf import settings


class Refused(Exception):
    """The request was not made; the message says why, in plain words for the dashboard."""


INTERNAL = "不允许访问内网或保留地址"
UNRESOLVED = "域名无法解析"


def is_public(ip):
    """Reachable on the Internet: not loopback, private, link-local (metadata), CGNAT, multicast or reserved."""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Policy:
    own_hosts: frozenset = frozenset()  # the platform's site hosts: trusted wherever they are
    allowed: tuple = ()  # ip_network objects an intranet deployment opens

    @classmethod
    def for_run(cls, own_hosts=()):
        networks = tuple(ipaddress.ip_network(net, strict=False) for net in settings.MONITORING_OUTBOUND_ALLOW)
        return cls(frozenset(host.lower() for host in own_hosts), networks)

    def addresses(self, host, port):
        """The addresses to try for host:port, each an (ip, port) checked against the policy; else Refused."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError) as exc:
            raise Refused(UNRESOLVED) from exc
        trusted = host.lower().rstrip(".") in self.own_hosts
        found = []
        for *_, sockaddr in infos:
            ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
            if trusted or is_public(ip) or any(ip in net for net in self.allowed):
                found.append((str(ip), port))
        if not found:
            raise Refused(INTERNAL)
        return found
