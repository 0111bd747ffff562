from kinerja.core.checks import DATABASE_RULES, RULE_TITLES, RULES


def test_every_rule_has_an_indonesian_title():
    assert set(RULE_TITLES) == set(RULES) | set(DATABASE_RULES)
    assert all(title and title[0].isupper() for title in RULE_TITLES.values())
