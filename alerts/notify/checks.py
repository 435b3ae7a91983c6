"""Checks a config needs beyond its shape: Apprise can parse every channel
URL and every channel's template renders. Used by `validate` and `run`."""

from __future__ import annotations

from alerts.config import Config
from alerts.errors import ConfigError
from alerts.notify.compose import target_for
from alerts.notify.render import render_message, sample_items
from alerts.notify.send import check_url


def check_config(config: Config) -> None:
    file = str(config.path) if config.path else None
    for name, channel in config.channels.items():
        for i, url in enumerate(channel.written_urls):
            key = f"channels.{name}.url" if channel.url else f"channels.{name}.urls[{i}]"
            problem = check_url(url)
            if problem:
                raise ConfigError(problem, file=file, key=key)
        template = config.template_path(name)
        if template is None:
            continue
        # The format and service the delivery pass will render for.
        target = target_for(channel.targets[0], channel.format)
        try:
            render_message(sample_items(), target.body_format, template=template, service=target.service)
        except ConfigError as exc:
            # "file: line N: ...": the template's own file, which the key points at.
            message = f"{exc.file}: {exc.message}" if exc.file else exc.message
            raise ConfigError(message, file=file, key=f"channels.{name}.template") from exc
