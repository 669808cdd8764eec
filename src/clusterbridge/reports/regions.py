"""Region descriptions as JSON-ready dictionaries and as text."""

from clusterbridge.domain.geography import RegionDescription
from clusterbridge.reports.serialise import JSON


def region_to_dict(found: RegionDescription) -> JSON:
    """A region, the NUTS versions it exists in, and its category for each period asked."""
    region = found.region
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "country": region.country,
        "nuts2_code": region.nuts2_code,
        "nuts_versions": list(region.versions),
        "categories": {
            answer.period.value: {
                "category": answer.category.value if answer.category else None,
                "nuts2_code": answer.nuts2_code,
                "nuts_version": answer.nuts_version,
                "note": answer.note,
            }
            for answer in found.categories
        },
    }


def render_region_text(found: RegionDescription) -> str:
    """The region in lines: name and level, versions, and one line per period."""
    region = found.region
    versions = ", ".join(str(v) for v in region.versions)
    lines = [
        f"{region.code} {region.name} ({found.country_name}), NUTS level {region.level}",
        f"Exists in NUTS versions: {versions}",
    ]
    if found.placed_by_country:
        lines.append(f"{found.country_name} is a single NUTS-2 region: {region.code}")
    for answer in found.categories:
        category = answer.category.value.replace("_", " ") if answer.category else "cannot be said"
        lines.append(f"{answer.period.value}: {category}. {answer.note}")
    return "\n".join(lines) + "\n"
