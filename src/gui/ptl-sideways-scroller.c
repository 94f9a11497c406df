/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sideways-scroller"

#include "config.h"

#include <math.h>

#include "ptl-sideways-scroller.h"

struct _PtlSidewaysScroller
{
  GtkWidget          parent_instance;

  /* owned: internal children */
  GtkScrolledWindow *scroller;
  GtkScrollbar      *scrollbar;
};

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlSidewaysScroller, ptl_sideways_scroller, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* A GtkScrolledWindow that may scroll at all claims every scroll event
 * over it, so its own handling is off and this one takes horizontal
 * motion only. Steps match GTK's own. */
static gboolean
ptl_sideways_scroller_scroll_cb (PtlSidewaysScroller      *self,
                                 double                    dx,
                                 double                    dy,
                                 GtkEventControllerScroll *controller)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->scroller);
  double page = gtk_adjustment_get_page_size (adjustment);
  double step;

  if (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment) <= page)
    return GDK_EVENT_PROPAGATE;

  step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
         ? pow (page, 2.0 / 3.0) : 2.5;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dx * step);
  return GDK_EVENT_STOP;
}

static void
ptl_sideways_scroller_width_cb (PtlSidewaysScroller *self,
                                GtkAdjustment       *adjustment)
{
  gtk_widget_set_visible (GTK_WIDGET (self->scrollbar),
                          gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment) >
                          gtk_adjustment_get_page_size (adjustment));
}

static void
ptl_sideways_scroller_dispose (GObject *object)
{
  PtlSidewaysScroller *self = PTL_SIDEWAYS_SCROLLER (object);

  g_clear_pointer ((GtkWidget **) &self->scroller, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->scrollbar, gtk_widget_unparent);

  G_OBJECT_CLASS (ptl_sideways_scroller_parent_class)->dispose (object);
}

static void
ptl_sideways_scroller_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PtlSidewaysScroller *self = PTL_SIDEWAYS_SCROLLER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, ptl_sideways_scroller_get_child (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sideways_scroller_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PtlSidewaysScroller *self = PTL_SIDEWAYS_SCROLLER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      ptl_sideways_scroller_set_child (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sideways_scroller_class_init (PtlSidewaysScrollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_sideways_scroller_dispose;
  object_class->get_property = ptl_sideways_scroller_get_property;
  object_class->set_property = ptl_sideways_scroller_set_property;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
ptl_sideways_scroller_init (PtlSidewaysScroller *self)
{
  g_autoptr(GListModel) controllers = NULL;
  GtkEventController *horizontal;
  GtkAdjustment *adjustment;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  /* External: the scrollbar is ours, below the child, not one laid over
   * its last row. */
  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (self->scroller, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->scroller), GTK_WIDGET (self));

  adjustment = gtk_scrolled_window_get_hadjustment (self->scroller);
  self->scrollbar = GTK_SCROLLBAR (gtk_scrollbar_new (GTK_ORIENTATION_HORIZONTAL, adjustment));
  gtk_widget_set_visible (GTK_WIDGET (self->scrollbar), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->scrollbar), GTK_WIDGET (self));
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (ptl_sideways_scroller_width_cb), self,
                           G_CONNECT_SWAPPED);

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (self->scroller));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_NONE);
    }

  horizontal = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_HORIZONTAL);
  g_signal_connect_object (horizontal, "scroll",
                           G_CALLBACK (ptl_sideways_scroller_scroll_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), horizontal);
}

GtkWidget *
ptl_sideways_scroller_new (void)
{
  return g_object_new (PTL_TYPE_SIDEWAYS_SCROLLER, NULL);
}

GtkWidget *
ptl_sideways_scroller_get_child (PtlSidewaysScroller *self)
{
  GtkWidget *viewport;

  g_return_val_if_fail (PTL_IS_SIDEWAYS_SCROLLER (self), NULL);

  /* The scrolled window wraps a child that cannot scroll in a viewport. */
  viewport = gtk_scrolled_window_get_child (self->scroller);
  if (GTK_IS_VIEWPORT (viewport))
    return gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  return viewport;
}

void
ptl_sideways_scroller_set_child (PtlSidewaysScroller *self,
                                 GtkWidget           *child)
{
  g_return_if_fail (PTL_IS_SIDEWAYS_SCROLLER (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (ptl_sideways_scroller_get_child (self) == child)
    return;
  gtk_scrolled_window_set_child (self->scroller, child);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
