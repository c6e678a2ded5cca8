# The edge cache in front of the platform's app servers (Varnish 7).
#
# What it keeps is decided by the app (platform/edge/headers.py): only responses that
# carry `s-maxage` are cached, for that long or until a purge; everything else passes.
# The cache key is the host and the URL. Publishing bans the site's host
# (platform/edge/backends.py sends `BAN /` with the site's Host from an address in
# `purgers`), so a change shows on every page of the site at once.
#
# The deploy smoke test (tests/deploy) and `make bench` run this file with their own ports:
# they replace the backend's .host/.port lines and nothing else.

vcl 4.1;

import directors;
import std;

# The app nodes. One here; with more, copy the block per node (app2, app3 … with their
# addresses), add each to the director in vcl_init, and list their addresses in `purgers`.
backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

# Who may ban: the app nodes. Add their addresses when they run on other machines.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    # Round robin over the app nodes. To skip a node that is down, give each backend a `.probe`
    # of /-/health with a console host as Host (deploy/README.md, Scale-out).
    new app_nodes = directors.round_robin();
    app_nodes.add_backend(app);
}

sub vcl_recv {
    set req.backend_hint = app_nodes.backend();
    # One spelling per host: the key, and the ban, use the lower-case name without a port.
    set req.http.host = std.tolower(regsub(req.http.host, ":[0-9]+$", ""));

    if (req.method == "BAN") {
        # Both the connection and the client nginx saw (X-Real-IP, when a request came
        # through it) must be purgers: nginx in front forwards from 127.0.0.1.
        if (!(client.ip ~ purgers) || !(std.ip(req.http.X-Real-IP, client.ip) ~ purgers)) {
            return (synth(403, "Forbidden"));
        }
        ban("obj.http.x-edge-host == " + req.http.host);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin and anyone signed in (an editor sees the userbar, previews, drafts).
    if (req.url ~ "^/admin(/|$)" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Everything else is the same for every visitor: cookies (analytics, a stale CSRF
    # token) would only split the cache. A page that needs a CSRF token gets a fresh
    # cookie from the app and is not cached (it carries Set-Cookie, no s-maxage).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The app failing (its database down, a bug) while a page is served from grace: the copy the
    # visitors get stays the good one; the failed answer is dropped, not stored over it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.http.x-edge-host = bereq.http.host;
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Set-Cookie) {
        # Not for the cache: remember that for a minute, so requests for it are not queued.
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # s-maxage sets the TTL (Varnish reads it before max-age). Grace: if the app is down or
    # slow, a page whose TTL ran out is served stale while a fetch is tried. Banned pages
    # are gone, not stale: a purge is never undone by grace.
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # No answer at all (the app down) on a background fetch: keep serving the stale copy.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    unset resp.http.x-edge-host;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
