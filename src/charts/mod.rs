//! The app's chart painter: plotters on a canvas ([`time_series`]). The widget paints the same
//! charts without plotters (`lambdascape_ui::charts::canvas`); both paint data and layout the
//! engine prepared.

pub mod time_series;
