"""The loaded catalogue holds everything `catalogue.md` states, type by type.

The comparison reads the Markdown itself (a checked-in copy of `shared/reference/catalogue.md`), not the seed module,
so a mistake in the seed cannot hide behind the same mistake in the test.
"""

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from billing.models import BillingType, CreditPackage
from onboarding.models import InstitutionType, LetterTemplate, Requirement, ReviewerRule

CATALOGUE = Path(__file__).parent / "data" / "catalogue.md"
SHARED_CATALOGUE = settings.BASE_DIR.parent / "shared" / "reference" / "catalogue.md"
STATUS = {"R": "required", "O": "optional", "C": "conditional"}


@dataclass
class TypeSpec:
    number: int
    name: str
    documents: list[tuple[str, str]] = field(default_factory=list)  # (status, Turkish label)
    rules: list[str] = field(default_factory=list)
    template: str | None = None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_types(markdown: str) -> list[TypeSpec]:
    types: list[TypeSpec] = []
    for line in markdown.splitlines():
        heading = re.match(r"^### (\d+)\. (.+?) — ", line)
        if heading:
            types.append(TypeSpec(number=int(heading.group(1)), name=heading.group(2).strip()))
            continue
        if not types or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            continue
        mark, turkish, english = cells
        if mark in STATUS:
            types[-1].documents.append((STATUS[mark], turkish))
        elif mark == "rule":
            types[-1].rules.append(turkish)
        else:
            continue
        template = re.search(r"template ([A-D])", english)
        if template:
            types[-1].template = template.group(1)
    # "The company list above applies to them": a type with no table takes the list of the type before it.
    for previous, current in itertools.pairwise(types):
        if not current.documents:
            current.documents = list(previous.documents)
    return types


def parse_templates(markdown: str) -> dict[str, set[str]]:
    """Template code -> the accepted bodies (the guide gives "X / Y" variants of the opening for template A)."""
    section = markdown.split("## Letter templates", 1)[1].split("\n## ", 1)[0]
    bodies: dict[str, set[str]] = {}
    for code, quoted in re.findall(r"\*\*([A-D]) — [^*]+\*\*\s*\"(.+?)\"", section, flags=re.DOTALL):
        body = _squash(quoted).replace("{authorised person}", "{authorised_person}")
        opening, _, rest = body.partition(";")
        bodies[code] = {f"{variant.strip()};{rest}" for variant in opening.split(" / ")} if rest else {body}
    return bodies


def guide_requirements():
    """The guide's own checklist: without the sender-ID proofs (onboarding.sender_proof_seed), which go beyond it."""
    return Requirement.objects.filter(condition__sender_bases=None)


def catalogue_differences(markdown: str) -> list[str]:
    """Every way the database disagrees with the catalogue; empty when they match."""
    problems: list[str] = []
    types = parse_types(markdown)
    loaded = list(InstitutionType.objects.order_by("position").select_related("letter_template"))
    if [t.name for t in loaded] != [t.name for t in types]:
        problems.append(f"institution types differ: {[t.name for t in loaded]} != {[t.name for t in types]}")
    by_name = {t.name: t for t in loaded}
    for spec in types:
        institution_type = by_name.get(spec.name)
        if institution_type is None:
            problems.append(f"missing institution type {spec.name!r}")
            continue
        requirements = list(
            guide_requirements().filter(institution_type=institution_type).select_related("condition")
        )
        got = [(r.status, r.label) for r in requirements]
        for document in spec.documents:
            if document not in got:
                problems.append(f"{spec.name}: missing or wrong status {document!r}")
        for document in got:
            if document not in spec.documents:
                problems.append(f"{spec.name}: not in the catalogue {document!r}")
        for requirement in requirements:
            if requirement.status == "conditional" and requirement.condition is None:
                problems.append(f"{spec.name}: conditional {requirement.label!r} has no condition")
            if not requirement.label_en:
                problems.append(f"{spec.name}: {requirement.label!r} has no English gloss")
        rules = list(ReviewerRule.objects.filter(institution_type=institution_type).values_list("text", flat=True))
        if sorted(rules) != sorted(spec.rules):
            problems.append(f"{spec.name}: rules {rules!r} != {spec.rules!r}")
        template = institution_type.letter_template.code if institution_type.letter_template else None
        if template != spec.template:
            problems.append(f"{spec.name}: letter template {template!r} != {spec.template!r}")

    # The letters keep the guide's operative clause; the rest of the guide's wording was corrected on purpose (issue
    # 10: "Muhtarlığı muhtarlığını", a dean for a primary school), so it is not compared word for word.
    loaded_templates = {t.code: _squash(t.body) for t in LetterTemplate.objects.all()}
    for code, accepted in parse_templates(markdown).items():
        clause = _operative_clause(next(iter(accepted)))
        if code not in loaded_templates:
            problems.append(f"missing letter template {code}")
        elif (
            clause not in loaded_templates[code]
            or "{authorised_person} yetkili kılınmıştır" not in (loaded_templates[code])
        ):
            problems.append(f"letter template {code} reads {loaded_templates[code]!r}, without {clause!r}")
    return problems


def _operative_clause(body: str) -> str:
    """ "{reseller} firmasının sistemi kullanılarak {operator} hat…" as the guide words it for one template."""
    return re.search(r"\{reseller\} firmasının sistemi kullanılarak \{operator\} hat", body).group(0)


@pytest.fixture
def markdown() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


def test_the_loaded_catalogue_matches_catalogue_md_type_by_type(db, markdown):
    assert parse_types(markdown), "the parser found no institution types"
    assert len(parse_types(markdown)) == 9
    assert catalogue_differences(markdown) == []


def test_every_document_of_the_guide_is_counted(db, markdown):
    # 5 + 5 (companies take the list above) + 5 + 4 + 5 + 5 + 5 + 5 + 3 lines in the guide.
    assert sum(len(t.documents) for t in parse_types(markdown)) == 42
    assert guide_requirements().count() == 42
    assert ReviewerRule.objects.count() == sum(len(t.rules) for t in parse_types(markdown)) == 6


def test_a_missing_document_is_reported(db, markdown):
    Requirement.objects.filter(label="Muhtarın kimlik fotokopisi").delete()

    assert any("Muhtarın kimlik fotokopisi" in problem for problem in catalogue_differences(markdown))


def test_a_changed_status_is_reported(db, markdown):
    Requirement.objects.filter(institution_type__code="chamber", label="Yetkilinin imza beyannamesi").update(
        status="optional"
    )

    assert any("Odalar" in problem for problem in catalogue_differences(markdown))


def test_a_missing_rule_is_reported(db, markdown):
    ReviewerRule.objects.filter(text="Sözleşmeler muhtar tarafından imzalanmalı").delete()

    assert any("rules" in problem for problem in catalogue_differences(markdown))


def test_an_edited_template_is_reported(db, markdown):
    LetterTemplate.objects.filter(code="C").update(body="{institution} muhtarlığı.")

    assert any("letter template C" in problem for problem in catalogue_differences(markdown))


def test_conditional_requirements_follow_the_answers(db):
    private_hospital_tax_plate = Requirement.objects.get(
        institution_type__code="hospital", status="conditional", document_kind__code="tax_plate"
    )
    decision_book = guide_requirements().get(institution_type__code="headman_office", status="conditional")

    assert private_hospital_tax_plate.condition.code == "private_hospital"
    assert private_hospital_tax_plate.is_required({"private_hospital": True})
    assert not private_hospital_tax_plate.is_required({"private_hospital": False})
    assert decision_book.condition.code == "keeps_decision_book"
    assert not decision_book.applies({})


def test_billing_types_and_the_five_packages_are_loaded(db, markdown):
    packages = re.search(r"packages of \*\*([\d ,/]+)\*\*", markdown).group(1)
    expected = sorted(int(p.strip().replace(",", "")) for p in packages.split("/"))

    assert (
        sorted(CreditPackage.objects.values_list("credits", flat=True))
        == expected
        == [1_000, 5_000, 10_000, 50_000, 100_000]
    )
    assert set(BillingType.objects.values_list("code", "name")) == {
        ("invoiced", "Faturalı"),
        ("prepaid", "Ön Ödemeli"),
    }


def test_the_reseller_settings_default_to_the_guide(markdown):
    address = _squash(markdown.split("The guide's address", 1)[1].split(":", 1)[1].split("\n## ", 1)[0])
    assert _squash(settings.PORTAL_CARGO_ADDRESS) in address
    assert f'reseller "{settings.PORTAL_RESELLER_NAME}"' in _squash(markdown)
    assert f'operator "{settings.PORTAL_OPERATOR_NAME}"' in _squash(markdown)


def test_letter_templates_use_only_known_blanks_and_fill_them(db):
    letter = LetterTemplate.objects.get(code="A")
    letter.full_clean()

    text = letter.render(
        {
            "institution": "İzmir Büyükşehir Belediyesi",
            "reseller": "R",
            "operator": "Turkcell",
            "authorised_person": "Şükrü Çağlayan",
        }
    )

    assert text.startswith("İzmir Büyükşehir Belediyesi adına;")
    # No title entered: the template's default stands in ("başkanımız" in the guide's words).
    assert "Başkanımız Şükrü Çağlayan yetkili kılınmıştır" in text


@pytest.mark.skipif(not SHARED_CATALOGUE.exists(), reason="shared/reference/catalogue.md is not beside the repo")
def test_the_checked_in_copy_is_the_shared_catalogue():
    assert CATALOGUE.read_bytes() == SHARED_CATALOGUE.read_bytes()
