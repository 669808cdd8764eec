"""Money in API answers: every amount in euros is written the one way, a JSON string with two
decimals ("250000.00", "40000.50"), whatever the stored or computed value's own exponent."""

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

from clusterbridge.domain.money import cents

#: An amount in euros as an answer writes it: "250000.00".
Money = Annotated[
    Decimal, PlainSerializer(lambda amount: str(cents(amount)), return_type=str, when_used="json")
]
