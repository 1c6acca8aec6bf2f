"""The one OpenAI-compatible client (brain summaries and `nanodex ask`) against a real local server:
whole and streamed answers, the served models, the key from the environment, errors by kind."""

import pytest

from nanodex.llm_client import ChatClient, HttpStatus, Unreachable
from nanodex.testing.fakes import FakeOpenAI

MESSAGES = [{"role": "user", "content": "What is a flake?"}]


def test_complete_and_stream_give_the_same_answer(monkeypatch):
    monkeypatch.setenv("NANODEX_TEST_KEY", "sk-test")
    with FakeOpenAI() as server:
        client = ChatClient(server.url + "/v1/", api_key_env="NANODEX_TEST_KEY")
        whole = client.complete("base", MESSAGES, 16)
        assert server.last_body == {"model": "base", "messages": MESSAGES, "max_tokens": 16, "temperature": 0}
        pieces = list(client.stream("base", MESSAGES, 16))
        assert server.last_body["stream"] is True
        assert len(pieces) > 1 and "".join(pieces).strip() == whole == "[base] You asked: What is a flake?"
        assert client.models() == ["base", "nanodex"]
        assert client.headers == {"Authorization": "Bearer sk-test"}
        with pytest.raises(HttpStatus) as err:
            client.stream("nope", MESSAGES, 16)   # the status is checked before any piece is read
        assert err.value.status == 404 and "does not exist" in err.value.text
    with pytest.raises(Unreachable, match=r"^cannot reach http://127.0.0.1:9/v1/chat/completions$"):
        ChatClient("http://127.0.0.1:9/v1", timeout=5).complete("m", MESSAGES, 4)
