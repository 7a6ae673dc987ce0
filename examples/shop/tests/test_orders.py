from fastapi.testclient import TestClient

ORDERS = "/api/v1/orders/"


def test_an_order_of_a_product_is_placed(client: TestClient, auth: dict[str, str]) -> None:
    product = client.post(
        "/api/v1/products/", json={"name": "Mug", "price": "9.50"}, headers=auth
    ).json()
    lines = [{"product_id": product["id"], "quantity": 2}]
    response = client.post(ORDERS, json={"lines": lines}, headers=auth)
    assert response.status_code == 201
    assert response.json()["lines"] == lines


def test_an_unknown_product_is_refused(client: TestClient, auth: dict[str, str]) -> None:
    lines = [{"product_id": 404, "quantity": 1}]
    assert client.post(ORDERS, json={"lines": lines}, headers=auth).status_code == 422
