"""Cluster memberships on the web: the edit form's cluster picker, and a cluster's answers
to organisations that list themselves as its members.

The picker finds clusters as one types (``organisations/_cluster_results.html``) and adds the
one chosen as a ticked box of the form (``_cluster_choice.html``). The requests show on the
cluster's page (``organisations/_membership_requests.html``) to its members and the
administrators, with Accept and Refuse.
"""

from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from clusterbridge.api.deps import ClaimNotifierDep, SessionDep
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import registry
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/organisations")

RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClusterId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ClusterSearch(BaseModel):
    """The picker's search box, the organisation being edited, and the clusters ticked."""

    add_cluster: str = Field("", max_length=200)
    exclude: int | None = Field(None, ge=1, le=MAX_ID)
    cluster_ids: list[str] = []


@router.get("/clusters", response_class=HTMLResponse)
def search_clusters(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[ClusterSearch, Query()],
) -> HTMLResponse:
    """The cluster organisations matching the search box, each with an Add button (or marked
    added when ticked already)."""
    hits = registry.find_clusters(session, form.add_cluster, exclude_id=form.exclude)
    context = {
        "hits": hits,
        "q": form.add_cluster,
        "chosen": set(form.cluster_ids),
        "exclude": form.exclude,
    }
    return render(request, "organisations/_cluster_results.html", context, user=user)


@router.get("/clusters/{cluster_id}/choice", response_class=HTMLResponse)
def cluster_choice(
    request: Request,
    cluster_id: ClusterId,
    session: SessionDep,
    user: SignedInUser,
    exclude: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """A found cluster, marked added, with its ticked box for the form (out of band) and the
    search box emptied."""
    cluster = registry.get_cluster(session, cluster_id, own_id=exclude)
    context = {"cluster": cluster, "organisation_id": exclude}
    return render(request, "organisations/_cluster_choice.html", context, user=user)


@router.post("/membership-requests/{request_id}/accept")
def accept(
    request_id: RequestId, user: SignedInUser, session: SessionDep, notifier: ClaimNotifierDep
) -> RedirectResponse:
    """Accept the organisation as a member of the cluster."""
    cluster = registry.decide_membership_request(
        session, user, request_id, accept=True, notifier=notifier
    )
    return RedirectResponse(f"/organisations/{cluster.id}#membership-requests", status_code=303)


@router.post("/membership-requests/{request_id}/refuse")
def refuse(
    request_id: RequestId, user: SignedInUser, session: SessionDep, notifier: ClaimNotifierDep
) -> RedirectResponse:
    """Refuse the organisation as a member of the cluster."""
    cluster = registry.decide_membership_request(
        session, user, request_id, accept=False, notifier=notifier
    )
    return RedirectResponse(f"/organisations/{cluster.id}#membership-requests", status_code=303)
