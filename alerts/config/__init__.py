"""The config: TOML in, a validated, frozen Config out (types, models, load, errors)."""

from alerts.config.load import CONFIG_ENV, DATABASE_ENV, DEFAULT_CONFIG_PATH, load_config, parse_config
from alerts.config.models import (
    DEFAULT_DATABASE_URL,
    AlertsConfig,
    BoardConfig,
    ChannelConfig,
    Config,
    DatabaseConfig,
    DisplayConfig,
    KeywordFilter,
    PollingConfig,
    SourceConfig,
    Subscription,
    TitleFilter,
)
from alerts.config.types import DIGEST_ALIASES, Duration, StrList, cron_trigger, parse_duration

__all__ = [
    "CONFIG_ENV",
    "DATABASE_ENV",
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_DATABASE_URL",
    "DIGEST_ALIASES",
    "AlertsConfig",
    "BoardConfig",
    "ChannelConfig",
    "Config",
    "DatabaseConfig",
    "DisplayConfig",
    "Duration",
    "KeywordFilter",
    "PollingConfig",
    "SourceConfig",
    "StrList",
    "Subscription",
    "TitleFilter",
    "cron_trigger",
    "load_config",
    "parse_config",
    "parse_duration",
]
