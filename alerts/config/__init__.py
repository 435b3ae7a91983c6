"""The config: TOML in, a validated, frozen Config out (types, models,
channel, subscription, load, errors), and what editors and new users get from
the models: the JSON Schema (forms, schema) and a starter file (starter)."""

from alerts.config.channel import ChannelConfig
from alerts.config.load import (
    CONFIG_ENV,
    DATABASE_ENV,
    DEFAULT_CONFIG_PATH,
    find_config,
    load_config,
    parse_config,
    user_config_path,
    warnings_of,
)
from alerts.config.models import (
    DEFAULT_DATABASE_URL,
    AlertsConfig,
    BoardConfig,
    Config,
    DatabaseConfig,
    DisplayConfig,
    PollingConfig,
    SourceConfig,
)
from alerts.config.subscription import KeywordFilter, Subscription, TitleFilter
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
    "find_config",
    "load_config",
    "parse_config",
    "parse_duration",
    "user_config_path",
    "warnings_of",
]
