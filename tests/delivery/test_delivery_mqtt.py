"""MQTT through the local Mosquitto, read back by a paho-mqtt subscriber."""

from __future__ import annotations

import threading
import uuid

import pytest

from alerts.notify.compose import compose, target_for

from delivery_support import job
from store_support import queued

paho = pytest.importorskip("paho.mqtt.client")


@pytest.fixture
def subscriber(mqtt_address):
    host, port = mqtt_address
    topic = f"alerts-test/{uuid.uuid4().hex}"
    received: list[bytes] = []
    arrived, subscribed = threading.Event(), threading.Event()
    client = paho.Client(paho.CallbackAPIVersion.VERSION2)
    client.on_subscribe = lambda *args: subscribed.set()

    def on_message(client, userdata, message):
        received.append(message.payload)
        arrived.set()

    client.on_message = on_message
    try:
        client.connect(host, port)
    except OSError as exc:
        pytest.fail(f"Mosquitto at {host}:{port} does not answer: {exc}")
    client.subscribe(topic, qos=1)
    client.loop_start()
    assert subscribed.wait(10), "the subscription was not acknowledged"
    yield f"mqtt://{host}:{port}/{topic}", received, arrived
    client.loop_stop()
    client.disconnect()


def test_mqtt_subscriber_receives_the_message(sqlite_world, subscriber):
    url, received, arrived = subscriber
    world = sqlite_world(f'[channels.bus]\nurl = "{url}"\n')
    world.queue(job("1", "Platform Engineer"), job("2", "Data Engineer"))
    rows = queued(world.store, "bus", None)
    (expected,) = compose(rows, target_for(url))

    result = world.deliverer().deliver_channel("bus")

    assert result.sent == 2 and not result.errors
    assert arrived.wait(10)
    (payload,) = received
    # MQTT has no title field: Apprise puts the title on the first line.
    assert payload.decode() == f"{expected.message.title}\r\n{expected.message.body}"
    assert expected.message.title == "2 new: Acme"
    assert "NEW: Platform Engineer" in payload.decode()
    assert "https://jobs.example.com/acme/2" in payload.decode()
    assert world.counts() == {("bus", "sent"): 2}
