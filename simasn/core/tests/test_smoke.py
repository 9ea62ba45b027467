def test_org_fixture_builds_a_consistent_tree(org, users):
    assert org.bidang_a.path.startswith(org.opd_a.path)
    assert org.staff_a.user == users.staff_a
