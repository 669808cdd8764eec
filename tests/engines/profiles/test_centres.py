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
        # The Łukasiewicz institutes are named "Sieć Badawcza Łukasiewicz - <institute>"; the
        # network's head office is not one of them.
        (
            "SIEC BADAWCZA LUKASIEWICZ - INSTYTUT METALI NIEZELAZNYCH",
            "IMN",
            f"{RTO} ('siec badawcza lukasiewicz')",
        ),
        ("CENTRUM LUKASIEWICZ", "LUKASIEWICZ CENTRE", None),
        # CENER is the Fundación CENER, not any body whose name holds the word.
        ("FUNDACION CENER", "", f"{RTO} ('fundacion cener')"),
        ("UDRUZENJE CENTAR ZA ENERGIJU, OKOLINU I RESURSE - CENER 21", "CENER 21", None),
        # Czech technology centres are as often science parks: the phrase is not a cue.
        ("TECHNOLOGICKE CENTRUM PRAHA ZSPO", "TC Praha", None),
        # A veto phrase says no whatever else the name holds.
        ("SOUTH WEST BUSINESS AND TECHNOLOGY CENTRE", "CorkBIC", None),
        ("INSTITUTO TECNOLOGICO AGRARIO DE CASTILLA Y LEON", "ITACyL", None),
    ],
)
def test_technology_centre_cue_reads_names_and_short_names(
    name: str, short_name: str, expected: str | None
) -> None:
    found = technology_centre_cue(name, short_name)

    assert found == (None if expected is None else Evidence("name-technology-centre", expected))


@pytest.mark.parametrize(
    ("name", "short_name", "expected"),
    [
        # Without the English phrases: the phrases of the other languages and the RTOs count.
        (
            "CENTRE TECHNIQUE DE LA CONSERVATION DES PRODUITS AGRICOLES",
            "CTCPA",
            f"{SAYS} ('centre technique')",
        ),
        ("SINTEF HELGELAND AS", "", f"{RTO} ('sintef')"),
        ("STICHTING CHIP INTEGRATION TECHNOLOGY CENTER", "CITC", None),
        ("IEEE TECHNOLOGY CENTRE GMBH", "", None),
        ("RESEARCH AND TECHNOLOGY ORGANISATION OF FINLAND", "", None),
    ],
)
def test_technology_centre_cue_without_english_phrases(
    name: str, short_name: str, expected: str | None
) -> None:
    found = technology_centre_cue(name, short_name, english=False)

    assert found == (None if expected is None else Evidence("name-technology-centre", expected))


def test_technology_centre_cue_counts_english_phrases_by_default() -> None:
    found = technology_centre_cue("STICHTING CHIP INTEGRATION TECHNOLOGY CENTER", "CITC")

    assert found == Evidence("name-technology-centre", f"{SAYS} ('technology center')")
