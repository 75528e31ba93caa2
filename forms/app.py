"""The pages of "Rate your review": start, one question per stage, check your answers, sent.

Plain server-rendered HTML: no JavaScript, no cookies, so it works on a cheap phone on poor data. Each page's
address carries the link's token (/r/<token>/…) and the language (?lang=cy); answers are kept server-side
against the token as the young person goes (store.py), so going back, switching language or losing signal
loses nothing. A page shows nothing about the young person.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import content, i18n, safety
from .store import Store, utcnow

HERE = Path(__file__).parent


def N_(message: str) -> str:
    """Marks a message for the catalogue (forms/catalogue.py); the template translates it."""
    return message

# Per address: a person answering quickly makes ~2 requests a question; a school or care home may share one.
RATE_PER_ADDRESS = (120, 60.0)       # requests, seconds
RATE_PER_TOKEN = (60, 60.0)

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def create_app(store_path: str | Path, clock=utcnow, rate_per_address=RATE_PER_ADDRESS,
               rate_per_token=RATE_PER_TOKEN) -> Starlette:
    store = Store(store_path)
    key = store.secret()
    by_address = safety.SlidingWindow(*rate_per_address)
    by_token = safety.SlidingWindow(*rate_per_token)

    def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        lang = i18n.pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        tr = i18n.translations(lang)
        path = request.url.path
        html = _env.get_template(template).render(
            _=tr.gettext, lang=lang, path=path, url=lambda p, **q: _url(p, lang, **q),
            switch={"cy": _url(path, "cy"), "en": _url(path, "en")}, content=content, **context)
        return HTMLResponse(html, status_code=status)

    def limited(request: Request, token: str | None = None) -> Response | None:
        address = request.client.host if request.client else "unknown"
        if not by_address.allow(address) or (token is not None and not by_token.allow(token)):
            response = render(request, "busy.html", status=429)
            response.headers["Retry-After"] = "60"
            return response
        return None

    def invitation_or_page(request: Request, token: str):
        """The open invitation for a token, or the page to show instead (the same page for forged and expired)."""
        invitation = store.find(token)
        state = invitation.state(clock()) if invitation else "unknown"
        if state == "open":
            return invitation, None
        if state in ("sent", "loaded"):
            return None, render(request, "already_sent.html")
        return None, render(request, "link_not_working.html", status=404)

    def base(token: str) -> str:
        return f"/r/{quote(token, safe='')}"

    async def home(request: Request):
        if (busy := limited(request)) is not None:
            return busy
        return render(request, "home.html")

    async def start(request: Request):
        token = request.path_params["token"]
        if (busy := limited(request, token)) is not None:
            return busy
        invitation, page = invitation_or_page(request, token)
        if page is not None:
            return page
        return render(request, "start.html", base=base(token))

    def stage_page(request, token, invitation, n, rating, comment, errors=(), refused=False, status=200):
        back = f"{base(token)}/check" if request.query_params.get("from") == "check" else (
            f"{base(token)}/q/{n - 1}" if n > 1 else base(token))
        return render(request, "stage.html", status=status, base=base(token), n=n, rating=rating, comment=comment,
                      errors=list(errors), refused=refused, back=back,
                      from_check=request.query_params.get("from") == "check",
                      csrf=safety.csrf_field(key, invitation.token_hash))

    def stage_number(request: Request) -> int | None:
        n = request.path_params["n"]
        return n if 1 <= n <= content.STAGE_COUNT else None

    async def stage(request: Request):
        token = request.path_params["token"]
        if (busy := limited(request, token)) is not None:
            return busy
        invitation, page = invitation_or_page(request, token)
        if page is not None:
            return page
        n = stage_number(request)
        if n is None:
            return render(request, "link_not_working.html", status=404)
        if request.method == "GET":
            rating, comment = store.answers(invitation.token_hash).get(n, (None, None))
            return stage_page(request, token, invitation, n, rating, comment)
        form = await request.form(max_files=0, max_fields=10)
        rating = form.get("rating") or None
        comment = (form.get("comment") or "").strip() or None
        # Whatever is refused, the page comes back with the answer as it was typed: nothing is lost.
        if not safety.csrf_ok(key, invitation.token_hash, form.get("csrf")):
            return stage_page(request, token, invitation, n, rating if rating in content.RATINGS else None,
                              comment, refused=True, status=400)
        errors = []
        if rating is not None and rating not in content.RATINGS:
            errors.append(("rating", N_("Choose one of the three answers, or none")))
            rating = None
        if comment and len(comment) > content.COMMENT_MAX_CHARS:
            errors.append(("comment", N_("Your answer must be 2,000 characters or fewer")))
        if errors:
            return stage_page(request, token, invitation, n, rating, comment, errors=errors, status=400)
        if not store.save_answer(invitation.token_hash, n, rating, comment):
            return RedirectResponse(_url(f"{base(token)}/sent", _lang(request)), status_code=303)
        following = (f"{base(token)}/check" if form.get("from") == "check" or n == content.STAGE_COUNT
                     else f"{base(token)}/q/{n + 1}")
        return RedirectResponse(_url(following, _lang(request)), status_code=303)

    async def check(request: Request):
        token = request.path_params["token"]
        if (busy := limited(request, token)) is not None:
            return busy
        invitation, page = invitation_or_page(request, token)
        if page is not None:
            return page
        return render(request, "check.html", base=base(token), answers=store.answers(invitation.token_hash),
                      csrf=safety.csrf_field(key, invitation.token_hash), refused=False)

    async def send(request: Request):
        token = request.path_params["token"]
        if (busy := limited(request, token)) is not None:
            return busy
        invitation, page = invitation_or_page(request, token)
        if page is not None:
            # a second press of Send (or a refresh) after the form went: the thank-you page again, nothing twice
            return RedirectResponse(_url(f"{base(token)}/sent", _lang(request)), status_code=303) \
                if store.find(token) and store.find(token).status != "open" else page
        form = await request.form(max_files=0, max_fields=5)
        if not safety.csrf_ok(key, invitation.token_hash, form.get("csrf")):
            return render(request, "check.html", status=400, base=base(token),
                          answers=store.answers(invitation.token_hash),
                          csrf=safety.csrf_field(key, invitation.token_hash), refused=True)
        store.submit(invitation.token_hash, clock())
        return RedirectResponse(_url(f"{base(token)}/sent", _lang(request)), status_code=303)

    async def sent(request: Request):
        token = request.path_params["token"]
        if (busy := limited(request, token)) is not None:
            return busy
        invitation = store.find(token)
        state = invitation.state(clock()) if invitation else "unknown"
        if state in ("sent", "loaded"):
            return render(request, "thanks.html")
        if state == "open":
            return RedirectResponse(_url(f"{base(token)}/check", _lang(request)), status_code=303)
        return render(request, "link_not_working.html", status=404)

    async def not_found(request: Request, exc):
        return render(request, "link_not_working.html", status=404)

    app = Starlette(routes=[
        Route("/", home),
        Route("/r/{token}", start),
        Route("/r/{token}/q/{n:int}", stage, methods=["GET", "POST"]),
        Route("/r/{token}/check", check),
        Route("/r/{token}/send", send, methods=["POST"]),
        Route("/r/{token}/sent", sent),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ], exception_handlers={404: not_found, 405: not_found})
    app.state.store = store
    return safety.SafetyMiddleware(app)


def _lang(request: Request) -> str:
    return i18n.pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def _url(path: str, lang: str, **query) -> str:
    extra = "".join(f"&{k}={quote(str(v))}" for k, v in query.items())
    return f"{path}?lang={lang}{extra}"


def invitation_link(base_url: str, token: str) -> str:
    """The link a young person is given (also in the QR code)."""
    return f"{base_url.rstrip('/')}/r/{token}"
