from django.core.management import call_command

from municipalities.models import KeyFigure, Municipality, Province, SafetyRegion

POPULATION = {
    "GM0141": ("Almelo", 73_155),
    "GM0147": ("Borne", 24_007),
    "GM1774": ("Dinkelland", 26_594),
    "GM0153": ("Enschede", 160_640),
    "GM0158": ("Haaksbergen", 24_268),
    "GM0163": ("Hellendoorn", 35_940),
    "GM0164": ("Hengelo", 81_476),
    "GM1735": ("Hof van Twente", 35_056),
    "GM0168": ("Losser", 23_084),
    "GM0173": ("Oldenzaal", 31_741),
    "GM1742": ("Rijssen-Holten", 38_231),
    "GM0183": ("Tubbergen", 21_364),
    "GM1700": ("Twenterand", 33_718),
    "GM0189": ("Wierden", 24_643),
}


def test_it_loads_every_province_and_safety_region(twente):
    assert Province.objects.count() == 12
    assert SafetyRegion.objects.count() == 25
    assert sorted(SafetyRegion.objects.values_list("code", flat=True)) == [
        f"VR{n:02d}" for n in range(1, 26)
    ]
    twente_region = SafetyRegion.objects.get(code="VR05")
    assert twente_region.name == "Twente"
    assert twente_region.province.name == "Overijssel"
    assert SafetyRegion.objects.get(code="VR04").name == "IJsselland"


def test_it_loads_twentes_municipalities_with_exact_populations(twente):
    loaded = {
        m.code: (m.name, m.population)
        for m in Municipality.objects.in_region("VR05").with_key_figures()
    }
    assert loaded == POPULATION
    assert sum(population for _, population in loaded.values()) == 633_917


def test_it_is_idempotent(twente):
    before = (
        Province.objects.count(),
        SafetyRegion.objects.count(),
        Municipality.objects.count(),
        KeyFigure.objects.count(),
    )
    call_command("load_twente", verbosity=0)
    call_command("load_twente", verbosity=0)
    after = (
        Province.objects.count(),
        SafetyRegion.objects.count(),
        Municipality.objects.count(),
        KeyFigure.objects.count(),
    )
    assert before == after == (12, 25, 14, 14)


def test_it_restores_a_changed_population(twente):
    figure = KeyFigure.objects.get(municipality__code="GM0153")
    figure.population = 1
    figure.save()
    call_command("load_twente", verbosity=0)
    assert Municipality.objects.get(code="GM0153").population_on() == 160_640
