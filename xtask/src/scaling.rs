//! The scaling grid of `cargo xtask bench`: seq/s of the core natively and in wasm (Node) over
//! H x digits per number x layout x batch, the fitted exponents of cost in H and in T, and the grid
//! drawn as docs/scaling.svg (plotters). The engines are bench/native/engines.rs `--scaling` and
//! bench/scaling.mjs; each prints `SCALE <engine> <layout> <batch> <H> <digits> <steps> <seq/s>`.

use crate::{cargo, root, Result};
use plotters::prelude::*;
use std::process::Command;

const ENGINES: [&str; 2] = ["native", "wasm-node"];
const LAYOUTS: [&str; 2] = ["notebook", "aligned"];
const BATCHES: [usize; 2] = [1, 32];
const DIGITS: [usize; 3] = [3, 7, 15];
const HIDDEN: [usize; 5] = [16, 32, 64, 128, 256];

struct Cell {
    engine: String,
    layout: String,
    batch: usize,
    hidden: usize,
    digits: usize,
    steps: usize,
    /// None: the core refuses the setting (one update over its work limit)
    rate: Option<f64>,
}

/// Runs both engines, one after the other, prints the table and the fit, writes the chart.
pub fn run() -> Result {
    let mut cells = Vec::new();
    collect(cargo().args(["bench", "-q", "-p", "rnn-playground", "--bench", "engines", "--", "--scaling"]), &mut cells)?;
    collect(Command::new("node").arg("bench/scaling.mjs"), &mut cells)?;
    print(&cells);
    let svg = root().join("docs/scaling.svg");
    chart(&cells, &svg)?;
    println!("scaling chart written to {}", svg.strip_prefix(root()).unwrap_or(&svg).display());
    Ok(())
}

fn collect(cmd: &mut Command, cells: &mut Vec<Cell>) -> Result {
    for line in crate::output(cmd)?.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let ["SCALE", engine, layout, batch, hidden, digits, steps, rate] = f[..] else { continue };
        let bad = || format!("{cmd:?} printed a bad line: {line}");
        let number = |s: &str| s.parse::<usize>().map_err(|_| bad());
        cells.push(Cell {
            engine: engine.into(),
            layout: layout.into(),
            batch: number(batch)?,
            hidden: number(hidden)?,
            digits: number(digits)?,
            steps: number(steps)?,
            rate: if rate == "refused" { None } else { Some(rate.parse().map_err(|_| bad())?) },
        });
    }
    Ok(())
}

fn group<'a>(cells: &'a [Cell], engine: &'a str, layout: &'a str, batch: usize) -> impl Iterator<Item = &'a Cell> + 'a {
    cells.iter().filter(move |c| c.engine == engine && c.layout == layout && c.batch == batch)
}

/// Least squares of log(cost per sequence) = a + p log H + q log T over the cells: (p, q).
fn fit<'a>(cells: impl Iterator<Item = &'a Cell>) -> Option<(f64, f64)> {
    let points: Vec<[f64; 3]> = cells.filter_map(|c| c.rate.map(|r| [(c.hidden as f64).ln(), (c.steps as f64).ln(), -r.ln()])).collect();
    let n = points.len() as f64;
    let mean = |i: usize| points.iter().map(|p| p[i]).sum::<f64>() / n;
    let (mh, mt, mc) = (mean(0), mean(1), mean(2));
    let dot = |i: usize, j: usize, mi: f64, mj: f64| points.iter().map(|p| (p[i] - mi) * (p[j] - mj)).sum::<f64>();
    let (shh, stt, sht) = (dot(0, 0, mh, mh), dot(1, 1, mt, mt), dot(0, 1, mh, mt));
    let (shc, stc) = (dot(0, 2, mh, mc), dot(1, 2, mt, mc));
    let det = shh * stt - sht * sht;
    (det.abs() > 1e-12).then(|| ((shc * stt - stc * sht) / det, (stc * shh - shc * sht) / det))
}

fn print(cells: &[Cell]) {
    println!();
    println!("Scaling: sequences/s training with plain SGD and exact BPTT (truncate 1000), 320 sums an epoch;");
    println!("T = steps per sequence (notebook layout: 2 x digits, aligned: digits + 1). 'refused': one update of");
    println!("that batch is over the core's 1e8 multiply-adds, the most the page runs between two messages.");
    print!("  {:<10} {:<9} {:>5} {:>6} {:>5}", "engine", "layout", "batch", "digits", "T");
    for h in HIDDEN {
        print!(" {:>9}", format!("H={h}"));
    }
    println!();
    for engine in ENGINES {
        for layout in LAYOUTS {
            for batch in BATCHES {
                for digits in DIGITS {
                    let row: Vec<&Cell> = group(cells, engine, layout, batch).filter(|c| c.digits == digits).collect();
                    let Some(first) = row.first() else { continue };
                    print!("  {engine:<10} {layout:<9} {batch:>5} {digits:>6} {:>5}", first.steps);
                    for h in HIDDEN {
                        let cell = row.iter().find(|c| c.hidden == h).and_then(|c| c.rate);
                        print!(" {:>9}", cell.map_or("refused".into(), |r| format!("{r:.0}")));
                    }
                    println!();
                }
            }
        }
    }
    println!();
    println!("Fitted cost per sequence ~ H^p T^q (least squares over the cells; expect p ~ 2, q ~ 1):");
    println!("  {:<10} {:<9} {:>5} {:>12} {:>12} {:>8}", "engine", "layout", "batch", "p (all H)", "p (H >= 64)", "q");
    for engine in ENGINES {
        for layout in LAYOUTS {
            for batch in BATCHES {
                let all = fit(group(cells, engine, layout, batch));
                let large = fit(group(cells, engine, layout, batch).filter(|c| c.hidden >= 64));
                let show = |f: Option<(f64, f64)>, pick: fn((f64, f64)) -> f64| f.map_or("-".into(), |f| format!("{:.2}", pick(f)));
                println!("  {engine:<10} {layout:<9} {batch:>5} {:>12} {:>12} {:>8}", show(all, |f| f.0), show(large, |f| f.0), show(all, |f| f.1));
            }
        }
    }
}

/// Four panels (layout x batch): seq/s against H on log axes, a line per digit count, native solid
/// and wasm dashed.
fn chart(cells: &[Cell], path: &std::path::Path) -> Result {
    std::fs::create_dir_all(path.parent().expect("docs/")).map_err(|e| e.to_string())?;
    let err = |e: DrawingAreaErrorKind<std::io::Error>| format!("drawing {}: {e}", path.display());
    let root_area = SVGBackend::new(path, (980, 700)).into_drawing_area();
    root_area.fill(&WHITE).map_err(err)?;
    let (title, body) = root_area.split_vertically(40);
    title.titled("Training speed against hidden size H (exact BPTT, plain SGD; solid: native, dashed: wasm in Node)", ("sans-serif", 18)).map_err(err)?;
    let rates = cells.iter().filter_map(|c| c.rate);
    let (lo, hi) = rates.fold((f64::MAX, 0f64), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let colours = [RGBColor(0x1b, 0x9e, 0x77), RGBColor(0xd9, 0x5f, 0x02), RGBColor(0x75, 0x70, 0xb3)];
    let panels = body.split_evenly((2, 2));
    for (panel, (layout, batch)) in panels.iter().zip(LAYOUTS.iter().flat_map(|l| BATCHES.iter().map(move |b| (*l, *b)))) {
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("{layout} layout, batch {batch}"), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d((14f64..290f64).log_scale().with_key_points(HIDDEN.map(|h| h as f64).to_vec()), ((lo / 1.5)..(hi * 1.5)).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("H")
            .y_desc("sequences / s")
            .x_label_formatter(&|h| format!("{h:.0}"))
            .y_label_formatter(&|r| match *r {
                r if r >= 1e6 => format!("{:.0}M", r / 1e6),
                r if r >= 1e3 => format!("{:.0}k", r / 1e3),
                r => format!("{r:.0}"),
            })
            .draw()
            .map_err(err)?;
        for (digits, colour) in DIGITS.iter().zip(colours) {
            for engine in ENGINES {
                let points: Vec<(f64, f64)> =
                    group(cells, engine, layout, batch).filter(|c| c.digits == *digits).filter_map(|c| c.rate.map(|r| (c.hidden as f64, r))).collect();
                let style = colour.stroke_width(2);
                if engine == "native" {
                    chart
                        .draw_series(LineSeries::new(points.clone(), style))
                        .map_err(err)?
                        .label(format!("{digits} digits (T {})", group(cells, engine, layout, batch).find(|c| c.digits == *digits).map_or(0, |c| c.steps)))
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2)));
                } else {
                    chart.draw_series(DashedLineSeries::new(points.clone(), 6, 4, style)).map_err(err)?;
                }
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled()))).map_err(err)?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(err)?;
    }
    root_area.present().map_err(err)?;
    Ok(())
}
