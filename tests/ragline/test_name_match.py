from ragline.name_match import mentioned_share


def test_the_share_of_the_name_the_question_mentions() -> None:
    assert mentioned_share("Can git describe use lightweight tags?", "git-describe.docx") == 1.0
    assert mentioned_share("What does git tag do?", "git-describe.docx") == 0.5
    assert mentioned_share("How do I brew tea?", "git-describe.docx") == 0.0


def test_words_match_when_one_begins_the_other() -> None:
    question = "Electrical equipment orders in April 1999"
    assert mentioned_share(question, "statsmodels-elec-equip.csv") == 2 / 3


def test_extensions_numbers_and_short_words_are_not_the_name() -> None:
    assert mentioned_share("Is the pdf of 2024 in English?", "2024-en.pdf") == 0.0
    assert mentioned_share("the pygame docs", "pygame-2.6.1-pygame.html") == 1.0
    assert mentioned_share("anything", "...") == 0.0
    assert mentioned_share("the readme", "README") == 1.0
