from portal.roles import Role


def test_login_reaches_start_page(client, account, login):
    user = account(Role.CASEMANAGER, name="Carla de Wit")
    login(user)
    page = client.get("/")
    assert page.status_code == 200
    assert "Welkom, Carla de Wit" in page.get_data(as_text=True)
