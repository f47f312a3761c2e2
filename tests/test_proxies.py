"""TELEGRAM_PROXY and LLM_PROXY: each API's traffic goes through its own proxy, if set."""

from urllib.parse import urlsplit

import pytest
from pydantic import ValidationError

from bot.config import ConfigError, Settings, load_settings
from bot.words.speech import Speaker
from tests.bot_harness import ChartModel, chart_photo, start_bot
from tests.fakes.http_proxy import ForwardProxy

CHAT = 5151


@pytest.fixture
async def proxy():
    server = ForwardProxy(user="proxyuser", password="proxy-pass-123")
    await server.start()
    yield server
    await server.stop()


def host_of(url):
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


async def test_both_apis_go_through_their_proxy(fake_telegram, fake_llm, proxy):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, telegram_proxy=proxy.url,
                         llm_proxy=proxy.url):
        fake_telegram.send_photo(CHAT, chart_photo())
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "2023" in (reply.plain_text or "")
    paths = {path.rsplit("/", 1)[-1] for _, _, path in proxy.seen}
    assert {"getUpdates", "getFile", "sendPhoto", "completions"} <= paths
    assert any("/file/bot" in path for _, _, path in proxy.seen)  # the photo's download
    assert proxy.hosts() == {host_of(fake_telegram.root_url), host_of(fake_llm.base_url)}


async def test_only_the_proxied_api_uses_the_proxy(fake_telegram, fake_llm, proxy):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, llm_proxy=proxy.url):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
    assert proxy.hosts() == {host_of(fake_llm.base_url)}


def test_a_proxy_must_be_a_proxy_url(monkeypatch):
    monkeypatch.setenv("TELEGRAM_PROXY", "127.0.0.1:3128")
    with pytest.raises(ConfigError, match="TELEGRAM_PROXY"):
        load_settings()
    monkeypatch.setenv("TELEGRAM_PROXY", "")
    monkeypatch.setenv("LLM_PROXY", "ftp://proxy.example")
    with pytest.raises(ConfigError, match="LLM_PROXY"):
        load_settings()


def test_proxy_passwords_are_redacted_from_logs():
    settings = Settings(_env_file=None, telegram_proxy="socks5://me:s3cret-pw@10.0.0.1:1080",
                        llm_proxy="http://10.0.0.2:3128")
    assert "me:s3cret-pw" in settings.secrets()


async def test_edge_tts_goes_through_its_own_proxy_and_espeak_answers_when_it_fails():
    proxy = ForwardProxy()
    await proxy.start()
    try:
        speaker = Speaker(max_note_bytes=1_000_000, proxy=proxy.url, edge_timeout_s=4)
        note = await speaker.synthesize("The highest year is 2023.")
    finally:
        await proxy.stop()
    assert ("CONNECT", "speech.platform.bing.com:443", "") in proxy.seen
    assert note.engine == "espeak-ng" and note.ogg_opus[:4] == b"OggS"


def test_the_speech_proxy_must_be_http_and_its_password_stays_out_of_logs():
    settings = Settings(_env_file=None, tts_proxy="http://me:s3cret-pass@proxy.local:3128")
    assert "me:s3cret-pass" in settings.secrets()
    with pytest.raises(ValidationError, match="http://host:port or https://host:port"):
        Settings(_env_file=None, tts_proxy="socks5://proxy.local:1080")
