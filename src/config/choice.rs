//! One mechanism for every setting that is one of a few names (`choice!`), and the plain ones:
//! the optimizer, the rate rule and the batches' precision.

/// Declares a setting that is one of a few names: the enum (its first variant the default), its
/// names and its reader. Every named choice is declared with it: these three, [`super::Preset`]
/// and [`crate::layout::Layout`].
macro_rules! choice {
    ($(#[doc = $doc:literal])+ $name:ident { $( $(#[doc = $vdoc:literal])+ $variant:ident = $text:literal, )+ }) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $name {
            #[default]
            $( $(#[doc = $vdoc])+ $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];
            pub const NAMES: [&'static str; $name::ALL.len()] = [ $( $text, )+ ];

            pub const fn name(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }
        }

        impl $crate::config::fields::FieldValue for $name {
            fn read(setting: &$crate::config::Setting, value: &serde_json::Value) -> $crate::error::Result<$name> {
                let name = $crate::config::fields::read_name(setting, value)?;
                $name::ALL.iter().copied().find(|v| v.name() == name).ok_or_else(|| $crate::config::fields::unknown_choice(setting, name, &$name::NAMES))
            }
            fn check(&self, _: &$crate::config::Setting) -> $crate::error::Result<()> {
                Ok(())
            }
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::from(self.name())
            }
        }
    };
}
pub(crate) use choice;

choice! {
    /// How a step's gradient changes the weights.
    Optimizer {
        /// W -= lr g, the notebook's.
        Sgd = "sgd",
        /// v = momentum v + g; W -= lr v.
        Momentum = "momentum",
        /// Adam (Kingma & Ba), bias-corrected.
        Adam = "adam",
    }
}

impl Optimizer {
    /// Arrays shaped like the weights it keeps (and a saved run holds besides the weights).
    pub const fn moments(self) -> usize {
        match self {
            Optimizer::Sgd => 0,
            Optimizer::Momentum => 1,
            Optimizer::Adam => 2,
        }
    }
}

choice! {
    /// What a loss evaluation does to the learning rate.
    RateRule {
        /// Halve it whenever the training loss rose: the notebook's rule.
        HalveOnRise = "halveOnRise",
        /// Leave it alone.
        Constant = "constant",
        /// Halve it every `halveEvery` epochs, whatever the loss did: big steps while there is
        /// much to learn, small ones to settle on exact answers.
        StepDecay = "stepDecay",
    }
}

choice! {
    /// The arithmetic a mini-batch's forward and backward passes are computed in.
    Precision {
        /// Double precision, as the notebook computes.
        F64 = "f64",
        /// Single precision: half the bytes per weight and twice the numbers per SIMD instruction.
        F32 = "f32",
    }
}
