//! keikaku: turns a city's plan kept as YAML/Markdown into an accessible static site.
