from screening_app.domain.wording import spelt_out


def test_the_first_use_of_scu_is_spelt_out_and_later_ones_stay_short() -> None:
    said = spelt_out("Refer to the SCU the same working day; the SCU will call back.")
    assert said == (
        "Refer to the police Safeguarding Coordination Unit (SCU) the same working day; the SCU "
        "will call back."
    )
    assert spelt_out("No abbreviation here, nor in SCUBA.") == "No abbreviation here, nor in SCUBA."
