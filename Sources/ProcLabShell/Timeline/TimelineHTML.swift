// A timeline as a small web page for slides: the SVG picture inline (its tooltips work in a
// browser) under a heading, in one file with nothing to fetch.
import ProcLabEngine

enum TimelineHTML {
  static func render(_ timeline: Timeline, title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>\(TimelineSVG.escape(title))</title>
    <style>
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em; color: #212121; }
    svg { max-width: 100%; height: auto; }
    p { color: #616161; }
    </style>
    </head>
    <body>
    <h1>proclab timeline</h1>
    <p>One row per process; hover a bar for what the process was doing and when.</p>
    \(TimelineSVG.render(timeline, title: title, standalone: false))</body>
    </html>

    """
  }
}
