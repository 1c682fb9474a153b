"""The few IATI codes the importers need, and how they map to the dataset contract.

Source: the IATI Standard 2.03 codelists (https://iatistandard.org/en/iati-standard/203/codelists/),
as published in the repositories IATI/IATI-Codelists (branch ``version-2.03``:
OrganisationRole, RelatedActivityType, ActivityDateType, TransactionType,
BudgetType) and IATI/IATI-Codelists-NonEmbedded (OrganisationType,
GeographicVocabulary, Sector = OECD DAC 5-digit purpose codes,
SectorCategory = DAC 3-digit codes). Only the codes used here are copied;
the names are the codelists' English names. The mapping to graphmodel's
agency kinds and themes is graphmodel's own and is documented in
``docs/import-export.md``.

Examples
--------
>>> ORG_ROLES["1"], ORG_ROLES["4"]
('funding', 'implementing')
>>> [agency_kind(t).value for t in ("11", "Local Government", "academic", "70")]
['local_government', 'local_government', 'academic', 'civil_society']
>>> [sector_theme(v, c) for v, c in (("1", "43040"), ("1", "12230"), ("2", "311"), ("1", "99810"))]
['community_planning', 'health', 'farmer_groups', 'dac_99810']
"""

from __future__ import annotations

from ..model import AgencyKind
from .names import slug
from .themes import theme_of

__all__ = [
    "ORG_ROLES", "ORG_TYPES", "ORG_TYPE_KINDS", "DEFAULT_KIND", "agency_kind",
    "RELATED_ACTIVITY_TYPES", "COUNTED_RELATED_TYPES", "DATE_TYPES", "COMMITMENT_TYPES",
    "REVISED_BUDGET", "DAC_THEMES", "sector_theme", "UNSPECIFIED_THEME",
]

#: OrganisationRole: participating-org/@role.
ORG_ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}

#: OrganisationType: participating-org/@type (code -> English name).
ORG_TYPES = {
    "10": "Government", "11": "Local Government", "15": "Other Public Sector",
    "21": "International NGO", "22": "National NGO", "23": "Regional NGO",
    "24": "Partner Country based NGO", "30": "Public Private Partnership", "40": "Multilateral",
    "60": "Foundation", "70": "Private Sector", "71": "Private Sector in Provider Country",
    "72": "Private Sector in Aid Recipient Country", "73": "Private Sector in Third Country",
    "80": "Academic, Training and Research", "90": "Other",
}

#: graphmodel's agency kind for an OrganisationType code. Types not listed
#: (30, 70-73, 90) and organisations with no type get :data:`DEFAULT_KIND`.
ORG_TYPE_KINDS = {
    "10": AgencyKind.line_agency,        # a ministry or department
    "11": AgencyKind.local_government,   # TAO, municipality, PAO
    "15": AgencyKind.special_agency,     # public organisations outside the normal system (CODI, TRF)
    "21": AgencyKind.civil_society, "22": AgencyKind.civil_society,
    "23": AgencyKind.civil_society, "24": AgencyKind.civil_society,
    "40": AgencyKind.special_agency,     # multilateral: public, outside the Thai budget system
    "60": AgencyKind.civil_society,      # foundation
    "80": AgencyKind.academic,
}
DEFAULT_KIND = AgencyKind.civil_society


def agency_kind(org_type: str | None) -> AgencyKind:
    """The agency kind for an organisation type.

    ``org_type`` may be an OrganisationType code (``10``), its English name
    (``Local Government``, any case and spacing) or one of graphmodel's own
    kinds (``special_agency``). Anything else, or nothing, gives
    :data:`DEFAULT_KIND`.
    """
    text = (org_type or "").strip()
    if text in ORG_TYPE_KINDS:
        return ORG_TYPE_KINDS[text]
    key = slug(text)
    for code, name in ORG_TYPES.items():
        if slug(name) == key:
            return ORG_TYPE_KINDS.get(code, DEFAULT_KIND)
    try:
        return AgencyKind(key)
    except ValueError:
        return DEFAULT_KIND


#: RelatedActivityType: related-activity/@type (code -> name used in the mechanism text).
RELATED_ACTIVITY_TYPES = {"1": "parent", "2": "child", "3": "sibling", "4": "co-funded",
                          "5": "third party"}
#: The relation types that become coordination links. Sibling (3) is left out:
#: it says only that two activities share a parent (see docs/import-export.md).
COUNTED_RELATED_TYPES = frozenset({"1", "2", "4", "5"})

#: ActivityDateType: activity-date/@type.
DATE_TYPES = {"1": "planned start", "2": "actual start", "3": "planned end", "4": "actual end"}

#: TransactionType codes read as funding: firm commitments (2 outgoing, 11 incoming).
#: Not read: 1 Incoming Funds, 3 Disbursement, 4 Expenditure (spending, not commitments).
COMMITMENT_TYPES = {"2": "Outgoing Commitment", "11": "Incoming Commitment"}

#: BudgetType 2 (Revised) replaces 1 (Original, the default) for the same period.
REVISED_BUDGET = "2"

#: OECD DAC purpose codes (5 digits, sector vocabulary 1) and categories
#: (3 digits, vocabulary 2) -> graphmodel themes (the seed's spellings). A
#: 5-digit code not listed falls back to its 3-digit category.
DAC_THEMES = {
    # 5-digit purpose codes
    "11230": "learning",              # Basic life skills for adults
    "11330": "occupation",            # Vocational training
    "12220": "health",                # Basic health care
    "12261": "health",                # Health education
    "15112": "community_planning",    # Decentralisation and support to subnational government
    "15150": "community_organization",  # Democratic participation and civil society
    "16010": "community_welfare",     # Social Protection
    "16020": "occupation",            # Employment creation
    "16062": "poverty_data",          # Statistical capacity building
    "24040": "community_finance",     # Informal/semi-formal financial intermediaries
    "31120": "farmer_groups",         # Agricultural development
    "31166": "farmer_groups",         # Agricultural extension
    "32130": "occupation",            # Small and medium-sized enterprises (SME) development
    "43040": "community_planning",    # Rural development
    "43082": "local_research",        # Research/scientific institutions
    # 3-digit categories
    "111": "learning", "112": "learning", "113": "learning", "114": "learning",  # Education
    "121": "health", "122": "health", "123": "health",  # Health, General; Basic Health; NCDs
    "151": "community_organization",  # Government & Civil Society-general
    "311": "farmer_groups",           # Agriculture
}

#: The theme of a program whose source gives no sector at all (reported).
UNSPECIFIED_THEME = "unspecified"


def sector_theme(vocabulary: str | None, code: str) -> str:
    """The theme for a sector code.

    DAC codes (vocabulary ``1``, the default, or ``2``) go through
    :data:`DAC_THEMES`, falling back to ``dac_<code>``; a code of any
    other vocabulary, or free text, goes through the theme vocabulary
    (:func:`~graphmodel.importers.themes.theme_of`: ``Livelihoods`` ->
    ``occupation``), else becomes its own normalised text (``Basket
    weaving`` -> ``basket_weaving``).
    """
    code = code.strip()
    if (vocabulary or "1") in ("1", "2") and code.isascii() and code.isdigit():
        return DAC_THEMES.get(code) or DAC_THEMES.get(code[:3] if len(code) == 5 else "") or f"dac_{code}"
    return theme_of(code)
