"""Technology centres by name (ADR 0038): phrases and research and technology organisations,
matched as whole words in the name and the short name."""

import pytest

from clusterbridge.engines.profiles import Evidence, technology_centre_cue

pytestmark = pytest.mark.unit

SAYS = "the name says a technology centre"
RTO = "the name is that of a research and technology organisation"


@pytest.mark.parametrize(
    ("name", "short_name", "expected"),
    [
        (
            "INSTITUTO TECNOLOGICO METALMECANICO, MUEBLE, MADERA, EMBALAJE Y AFINES-AIDIMME",
            "AIDIMME",
            f"{SAYS} ('instituto tecnologico')",
        ),
        ("FUNDACIÓN CENTRO TECNOLÓGICO DE COMPONENTES", "CTC", f"{SAYS} ('centro tecnologico')"),
        ("FUNDACION CENTRO TECNOLOXICO DA CARNE", "", f"{SAYS} ('centro tecnoloxico')"),
        ("CENTRE TECHNOLOGIQUE ALPHANOV", "", f"{SAYS} ('centre technologique')"),
        ("TEKNOLOGISK INSTITUT", "", f"{SAYS} ('teknologisk institut')"),
        ("TEKNOLOGIAN TUTKIMUSKESKUS VTT OY", "VTT", f"{SAYS} ('teknologian tutkimuskeskus')"),
        ("MALARDALEN INDUSTRIAL TECHNOLOGY CENTER AB", "MITC", f"{SAYS} ('technology center')"),
        # The short name counts as much as the name.
        ("ACONDICIONAMIENTO TARRASENSE ASSOCIACION", "LEITAT", f"{RTO} ('leitat')"),
        ("FUNDACION TECNALIA RESEARCH & INNOVATION", "", f"{RTO} ('tecnalia')"),
        ("SINTEF OCEAN AS", "SO", f"{RTO} ('sintef')"),
        # Whole words only: no name inside a longer word, no phrase across name and short name.
        ("SUNRISE ADVANCED MATERIALS", "", None),
        ("TECNALIANA SL", "", None),
        ("FUNDACION PARA EL CENTRO", "TECNOLOGICO", None),
        # Technology words alone say nothing; neither do science parks and innovation centres.
        ("PARQUE TECNOLOGICO DE ANDALUCIA SA-PTA", "", None),
        ("SAFETY INNOVATION CENTER GGMBH", "", None),
        ("FUNDACION IMDEA MATERIALES", "IMDEA Materials", None),
    ],
)
def test_technology_centre_cue_reads_names_and_short_names(
    name: str, short_name: str, expected: str | None
) -> None:
    found = technology_centre_cue(name, short_name)

    assert found == (None if expected is None else Evidence("name-technology-centre", expected))
