// htmx settings of every page, read before htmx starts (both scripts are deferred, in
// order). No inline <style> from htmx (Content-Security-Policy: its indicator styles are
// in app.css) and no eval. A page's own <meta name="htmx-config"> still adds its settings.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
