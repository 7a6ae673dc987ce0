from fastapi.testclient import TestClient

URL = "/api/v1/products/"


def test_anyone_can_list_products(client: TestClient, auth: dict[str, str]) -> None:
    client.post(URL, json={"name": "Mug", "price": "9.50"}, headers=auth)
    page = client.get(URL).json()
    assert page["total"] == 1
    assert page["items"][0]["name"] == "Mug"


def test_creating_a_product_needs_a_token(client: TestClient) -> None:
    response = client.post(URL, json={"name": "Mug", "price": "9.50"})
    assert response.status_code == 401


def test_a_missing_product_is_404(client: TestClient) -> None:
    assert client.get(f"{URL}999").status_code == 404
