//! The headline figures of the current instant (markup shared with the widget: markup.rs).

use lambdascape_engine::view::Frame;
use lambdascape_ui::state::Shared;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub frame: Shared<Frame>,
    pub seeking: bool,
}

#[component]
pub fn Figures(p: &Props) -> Html {
    Html::from_html_unchecked(lambdascape_ui::markup::figures(&p.frame, p.seeking).into())
}
