"""The FEBRL check of the project's own models: records mapped to vendor shapes, pairs read back."""

from types import SimpleNamespace

from benchmarks.identity_febrl_project import as_square_customer, predicted_pairs


def test_link_counts_only_pairs_across_the_two_files_and_ignores_unresolved_and_other_nodes():
    rec_id_of = {"shopify:customers:1": "rec-1-org", "shopify:customers:3": "rec-2-org",
                 "square:customers:A": "rec-1-dup-0", "square:customers:B": "rec-3-dup-0"}
    sides = [{"shopify:customers:1", "shopify:customers:3"}, {"square:customers:A", "square:customers:B"}]
    resolved = {"shopify:customers:1": "c1", "shopify:customers:3": "c1", "square:customers:A": "c1",
                "square:customers:B": None, "google_reviews:reviews:x": "c1"}
    assert predicted_pairs(resolved, rec_id_of, sides) == {("rec-1-dup-0", "rec-1-org"),
                                                           ("rec-1-dup-0", "rec-2-org")}
    # a dedupe (one file) counts every pair in the cluster
    assert len(predicted_pairs(resolved, rec_id_of, [set(rec_id_of)])) == 3


def test_square_customer_carries_names_address_and_birthday_but_no_contact():
    row = SimpleNamespace(rec_id="rec-7-org", given_name="mia", surname="lee", street_number="12",
                          address_1="wallaby place", address_2=None, suburb="delmar", postcode="2119",
                          state="nsw", date_of_birth="19560409", soc_sec_id="1804974")
    record = as_square_customer(row, "FEBRL000")
    assert (record["given_name"], record["family_name"], record["birthday"]) == ("mia", "lee", "1956-04-09")
    assert record["address"]["address_line_1"] == "12 wallaby place"
    assert record["address"]["postal_code"] == "2119"
    assert "email_address" not in record and "phone_number" not in record
