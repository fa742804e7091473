vcl 4.1;
# Casebook's front cache (docs/deployment-cache.md): nginx (TLS) -> Varnish -> gunicorn.
#
# What it keeps is what the app marks `public` (website/cache_policy.py), for its `s-maxage`;
# the app purges a case's pages when the case changes (website/frontcache.py, PURGE by exact
# URL from this host only). Anything personal passes: a session cookie, an Authorization
# header, a POST, the admin, the API, case files, the notice pages with the objection form.

import std;

backend gunicorn {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;   # gunicorn kills a worker after 30 s (GUNICORN_TIMEOUT)
    .between_bytes_timeout = 10s;
    # A static file: proves gunicorn answers without costing a page render every few seconds.
    .probe = {
        .request = "GET /static/website/site.css HTTP/1.1"
                   "Host: localhost"
                   "X-Forwarded-Proto: https"
                   "User-Agent: varnish-probe"
                   "Connection: close";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may PURGE: the app servers. Requests that came through nginx are refused below.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.X-Cache-Pass;
    if (req.method == "PURGE") {
        # Varnish appends the peer to X-Forwarded-For: a comma means a proxy (nginx) forwarded it.
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "PURGE not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Personal, audited or with a form: the app never marks these public either.
    if (req.url ~ "^/(admin|api|files|documents|display)(/|\?|$)" || req.url ~ "^/notices/[^?]") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # While the backend is healthy an expired copy is served for 10 s at most (while it is
    # refreshed); when it is down, for as long as the object's grace (6 h, below).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    # The only cookies that change a public page are the display modes (大字 / 高对比), and
    # only their meaningful values; every other cookie (csrftoken, analytics) is dropped, so
    # there are at most four copies of a page. Static files vary on no cookie at all.
    if (req.url ~ "^/static/") {
        unset req.http.Cookie;
    } else {
        set req.http.X-Display = "";
        if (req.http.Cookie ~ "(^|;\s*)cb_contrast=high(;|$)") {
            set req.http.X-Display = "cb_contrast=high";
        }
        if (req.http.Cookie ~ "(^|;\s*)cb_text=large(;|$)") {
            if (req.http.X-Display == "") {
                set req.http.X-Display = "cb_text=large";
            } else {
                set req.http.X-Display = req.http.X-Display + "; cb_text=large";
            }
        }
        if (req.http.X-Display == "") {
            unset req.http.Cookie;
        } else {
            set req.http.Cookie = req.http.X-Display;
        }
        unset req.http.X-Display;
    }
    # The public site is in Chinese only: one copy whatever the browser's languages.
    unset req.http.Accept-Language;
    return (hash);
}

sub vcl_hash {
    # One site: the URL and the host without its port (the app's purges name BASE_URL's host).
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(regsub(std.tolower(req.http.Host), ":[0-9]+$", ""));
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_pass {
    set req.http.X-Cache-Pass = "1";
}

sub vcl_purge {
    return (synth(200, "Purged"));
}

sub vcl_backend_response {
    # A failed refresh in the background keeps the stale copy in use.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control ~ "private|no-store|no-cache"
        || beresp.http.Set-Cookie
        || beresp.http.Vary == "*"
        || beresp.status >= 400) {
        # Not public: fetched again every time (remembered as such for two minutes).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # beresp.ttl already honours s-maxage (then max-age). Grace: served stale while refreshed,
    # and while the backend is down (announcement days). A purge removes the object and its grace.
    set beresp.grace = 6h;
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (req.http.X-Cache-Pass) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # s-maxage is for this cache only: the caches beyond it (a CDN, an office proxy) are
    # not purged, so they get the browsers' lifetime.
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ",\s*s-maxage=[0-9]+", "");
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
