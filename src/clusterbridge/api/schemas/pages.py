"""One page of a list that answers a page at a time (the exchanges, the organisations found):
its items and where the page is, written once for every such list."""

from typing import Generic, TypeVar

from pydantic import BaseModel

ItemT = TypeVar("ItemT")


class PageRead(BaseModel, Generic[ItemT]):
    """One page of ``items``, how many the filters find (``total``), the page's number, how
    many a page holds and how many pages there are."""

    items: list[ItemT]
    total: int
    page: int
    per_page: int
    pages: int
