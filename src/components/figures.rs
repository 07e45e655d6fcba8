//! The headline figures of the current instant (markup shared with the widget: markup.rs).

use crate::state::Shared;
use lambdascape_engine::view::Frame;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub frame: Shared<Frame>,
    pub seeking: bool,
}

#[component]
pub fn Figures(p: &Props) -> Html {
    Html::from_html_unchecked(crate::markup::figures(&p.frame, p.seeking).into())
}
