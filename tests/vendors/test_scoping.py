from vendors.engine.scoping import guess_service_line


def test_the_process_name_picks_among_the_plausible_service_lines():
    def guess(name, function="IT", model="ITO"):
        return guess_service_line(
            name=name, description="", business_function=function, model=model
        )

    assert guess("Network infrastructure") == "infrastructure_cloud"
    assert guess("Application maintenance (ERP)") == "application_development"
    assert guess("Cybersecurity monitoring") == "cybersecurity"
    assert guess("Payroll processing", "HR", "BPO") == "payroll"
    assert guess("Customer support hotline", "customer service", "BPO") == "customer_support"


def test_without_a_telling_word_the_functions_most_likely_line_is_used():
    assert (
        guess_service_line(name="Misc", description="", business_function="HR", model="BPO")
        == "payroll"
    )
    assert (
        guess_service_line(name="Misc", description="", business_function="unknown", model="ITO")
        == ""
    )
