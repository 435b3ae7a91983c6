"""Checks a config needs beyond its shape: Apprise can parse every channel
URL and every channel's template renders. Used by `validate` and `run`."""

from __future__ import annotations

from alerts.config import Config
from alerts.errors import ConfigError
from alerts.notify.render import render_message, sample_items
from alerts.notify.send import check_url, native_format, service_of


def check_config(config: Config) -> None:
    file = str(config.path) if config.path else None
    for name, channel in config.channels.items():
        for i, url in enumerate(channel.targets):
            key = f"channels.{name}.url" if channel.url else f"channels.{name}.urls[{i}]"
            problem = check_url(url)
            if problem:
                raise ConfigError(problem, file=file, key=key)
        template = config.template_path(name)
        if template is None:
            continue
        url = channel.targets[0]
        try:
            render_message(
                sample_items(),
                channel.format or native_format(url),
                template=template,
                service=service_of(url),
            )
        except ConfigError as exc:
            raise ConfigError(exc.message, file=file, key=f"channels.{name}.template") from exc
